/* Los comportamientos de las páginas, sin manejadores en atributos (la CSP no admite onclick="…"):
   cada elemento declara lo que hace con un atributo data-* y este archivo, cargado en toda página, lo atiende.

   data-confirmar="¿…?"          en un formulario, un botón o un enlace: pregunta antes de enviar o seguir.
   data-enviar-al-cambiar        en una lista: al elegir otra opción, envía su formulario.
   data-marcar-todas="selector"  en una casilla: marca o desmarca las casillas habilitadas del selector.
   data-imprimir                 en un botón: abre el diálogo de impresión.
   data-accion-en-bloque="x"     (Flask-Admin) ejecuta la acción x sobre las filas elegidas de la lista.
   data-agregar-en-linea="id"    (Flask-Admin) agrega una fila al subformulario id.
   Un enlace href="javascript:…" (los de Flask-Admin) no navega: su acción la hace su propio manejador. */
(function () {
  "use strict";

  function elementoCon(evento, atributo) {
    return evento.target instanceof Element ? evento.target.closest("[" + atributo + "]") : null;
  }

  // En captura: los manejadores de Bootstrap y Flask-Admin pueden detener la propagación antes del documento.
  document.addEventListener("click", function (evento) {
    if (evento.target instanceof Element && evento.target.closest('a[href^="javascript:"]')) {
      evento.preventDefault();
    }
  }, true);

  document.addEventListener("click", function (evento) {
    var confirmar = elementoCon(evento, "data-confirmar");
    if (confirmar && confirmar.tagName !== "FORM" && !window.confirm(confirmar.getAttribute("data-confirmar"))) {
      evento.preventDefault();
      evento.stopImmediatePropagation();
      return;
    }
    var accion = elementoCon(evento, "data-accion-en-bloque");
    if (accion && window.modelActions) {
      evento.preventDefault();
      window.modelActions.execute(accion.getAttribute("data-accion-en-bloque"));
    }
    var enLinea = elementoCon(evento, "data-agregar-en-linea");
    if (enLinea && window.faForm) {
      evento.preventDefault();
      window.faForm.addInlineField(enLinea, enLinea.getAttribute("data-agregar-en-linea"));
    }
    if (elementoCon(evento, "data-imprimir")) {
      evento.preventDefault();
      window.print();
    }
  });

  document.addEventListener("submit", function (evento) {
    var formulario = evento.target;
    if (formulario.hasAttribute && formulario.hasAttribute("data-confirmar") &&
        !window.confirm(formulario.getAttribute("data-confirmar"))) {
      evento.preventDefault();
    }
  });

  document.addEventListener("change", function (evento) {
    var lista = elementoCon(evento, "data-enviar-al-cambiar");
    if (lista && lista.form) {
      lista.form.submit();
    }
    var todas = elementoCon(evento, "data-marcar-todas");
    if (todas) {
      document.querySelectorAll(todas.getAttribute("data-marcar-todas")).forEach(function (casilla) {
        if (!casilla.disabled) {
          casilla.checked = todas.checked;
        }
      });
    }
  });
})();
