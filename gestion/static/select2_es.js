/* Textos de select2 3.5 (el que trae Flask-Admin) en español de Colombia, incluidos los que lee un
   lector de pantalla. Se carga después de select2.min.js y antes de que form.js arme las listas. */
(function ($) {
  "use strict";
  if (!$ || !$.fn || !$.fn.select2) { return; }
  $.extend($.fn.select2.defaults, {
    formatMatches: function (n) {
      return n === 1 ? "Hay un resultado; oprima Enter para elegirlo."
                     : "Hay " + n + " resultados; use las flechas arriba y abajo para recorrerlos.";
    },
    formatNoMatches: function () { return "No hay coincidencias"; },
    formatAjaxError: function () { return "No se pudieron cargar las opciones"; },
    formatInputTooShort: function (texto, minimo) {
      var n = minimo - texto.length;
      return "Escriba " + n + (n === 1 ? " carácter más" : " caracteres más");
    },
    formatInputTooLong: function (texto, maximo) {
      var n = texto.length - maximo;
      return "Borre " + n + (n === 1 ? " carácter" : " caracteres");
    },
    formatSelectionTooBig: function (limite) {
      return "Solo puede elegir " + limite + (limite === 1 ? " opción" : " opciones");
    },
    formatLoadMore: function () { return "Cargando más resultados…"; },
    formatSearching: function () { return "Buscando…"; }
  });
})(window.jQuery);

/* La «×» que quita una opción elegida de una lista múltiple es un enlace sin texto: se le da su nombre
   («Quitar …») en cuanto select2 la dibuja, para el lector de pantalla (WCAG 4.1.2). */
(function () {
  function nombrar(raiz) {
    var cruces = raiz.querySelectorAll ? raiz.querySelectorAll(".select2-search-choice-close:not([aria-label])") : [];
    for (var i = 0; i < cruces.length; i++) {
      var opcion = cruces[i].parentNode ? cruces[i].parentNode.textContent.trim() : "";
      cruces[i].setAttribute("aria-label", "Quitar " + opcion);
    }
  }
  function vigilar() {
    nombrar(document);
    new MutationObserver(function (cambios) {
      for (var i = 0; i < cambios.length; i++) { nombrar(cambios[i].target); }
    }).observe(document.body, {childList: true, subtree: true});
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", vigilar); } else { vigilar(); }
})();
