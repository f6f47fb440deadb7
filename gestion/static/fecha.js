/* Calendario en español para los campos de fecha (vistas/widgets.py): el campo es texto dd/mm/aaaa y se
   escribe tal cual; el calendario (lunes primero) solo lo llena al elegir un día. Sin dependencias. */
(function () {
  "use strict";
  if (window.calendarioFecha) { return; }
  window.calendarioFecha = true;

  var MESES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
               "octubre", "noviembre", "diciembre"];
  var DIAS = ["lu", "ma", "mi", "ju", "vi", "sá", "do"];
  var DIAS_LARGOS = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"];

  function dosCifras(n) { return (n < 10 ? "0" : "") + n; }
  function escribir(f) { return dosCifras(f.getDate()) + "/" + dosCifras(f.getMonth() + 1) + "/" + f.getFullYear(); }
  function leer(texto) {
    var m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(texto || "");
    if (!m) { return null; }
    var f = new Date(+m[3], +m[2] - 1, +m[1]);
    return f.getDate() === +m[1] && f.getMonth() === +m[2] - 1 ? f : null;
  }
  function mismoDia(a, b) { return a && b && a.toDateString() === b.toDateString(); }

  var panel = null, campo = null, mes = null;
  var foco = null;          // el día que lleva el foco del teclado dentro del calendario
  var devolviendo = false;  // el foco vuelve al campo al cerrar: no reabrir

  function boton(texto, etiqueta, clase, accion) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = clase;
    b.textContent = texto;
    if (etiqueta) { b.setAttribute("aria-label", etiqueta); }
    b.addEventListener("mousedown", function (e) { e.preventDefault(); });  // el campo no pierde el foco
    // Sin propagar: redibujar saca el botón del panel y el clic parecería hecho fuera (y lo cerraría).
    b.addEventListener("click", function (e) { e.stopPropagation(); accion(e); });
    return b;
  }

  function cerrar(volverAlCampo) {
    var entrada = campo;
    if (panel) { panel.remove(); }
    panel = null; campo = null; foco = null;
    if (volverAlCampo && entrada && document.activeElement !== entrada) {
      devolviendo = true;
      entrada.focus();
      devolviendo = false;
    }
  }

  function elegir(dia) {
    var destino = campo;
    destino.value = escribir(dia);
    destino.dispatchEvent(new Event("input", { bubbles: true }));
    destino.dispatchEvent(new Event("change", { bubbles: true }));
    cerrar(true);
  }

  function mover(meses) {
    mes = new Date(mes.getFullYear(), mes.getMonth() + meses, 1);
    dibujar();
  }

  function dibujar() {
    var elegida = leer(campo.value), hoy = new Date();
    var minimo = leer(campo.getAttribute("data-min")), maximo = leer(campo.getAttribute("data-max"));
    panel.textContent = "";
    var cabeza = document.createElement("div");
    cabeza.className = "fecha-cabeza";
    cabeza.appendChild(boton("«", "Año anterior", "fecha-nav", function () { mover(-12); }));
    cabeza.appendChild(boton("‹", "Mes anterior", "fecha-nav", function () { mover(-1); }));
    var titulo = document.createElement("span");
    titulo.className = "fecha-titulo";
    titulo.setAttribute("aria-live", "polite");
    titulo.textContent = MESES[mes.getMonth()] + " de " + mes.getFullYear();
    cabeza.appendChild(titulo);
    cabeza.appendChild(boton("›", "Mes siguiente", "fecha-nav", function () { mover(1); }));
    cabeza.appendChild(boton("»", "Año siguiente", "fecha-nav", function () { mover(12); }));
    panel.appendChild(cabeza);

    var tabla = document.createElement("table");
    tabla.className = "fecha-tabla";
    tabla.setAttribute("role", "grid");
    var fila = document.createElement("tr");
    DIAS.forEach(function (d, i) {
      var th = document.createElement("th");
      th.textContent = d;
      th.setAttribute("abbr", DIAS_LARGOS[i]);
      th.setAttribute("scope", "col");
      fila.appendChild(th);
    });
    var thead = document.createElement("thead");
    thead.appendChild(fila);
    tabla.appendChild(thead);
    var cuerpo = document.createElement("tbody");
    var desfase = (mes.getDay() + 6) % 7;  // lunes = 0
    var dia = new Date(mes.getFullYear(), mes.getMonth(), 1 - desfase);
    for (var semana = 0; semana < 6; semana++) {
      fila = document.createElement("tr");
      for (var d = 0; d < 7; d++) {
        var celda = document.createElement("td");
        var este = new Date(dia.getFullYear(), dia.getMonth(), dia.getDate());
        var clase = "fecha-dia" + (este.getMonth() !== mes.getMonth() ? " fecha-fuera" : "") +
          (mismoDia(este, hoy) ? " fecha-hoy" : "") + (mismoDia(este, elegida) ? " fecha-elegida" : "");
        var b = boton(String(este.getDate()), este.getDate() + " de " + MESES[este.getMonth()] + " de " + este.getFullYear(),
                      clase, (function (f) { return function () { elegir(f); }; })(este));
        if ((minimo && este < minimo) || (maximo && este > maximo)) { b.disabled = true; }
        if (mismoDia(este, elegida)) { b.setAttribute("aria-pressed", "true"); }
        b.setAttribute("data-dia", escribir(este));
        b.tabIndex = mismoDia(este, foco) ? 0 : -1;
        celda.appendChild(b);
        fila.appendChild(celda);
        dia.setDate(dia.getDate() + 1);
      }
      cuerpo.appendChild(fila);
    }
    tabla.appendChild(cuerpo);
    panel.appendChild(tabla);
    var pie = document.createElement("div");
    pie.className = "fecha-pie";
    pie.appendChild(boton("Hoy", null, "fecha-nav fecha-hoy-boton", function () { elegir(new Date(hoy.getFullYear(), hoy.getMonth(), hoy.getDate())); }));
    pie.appendChild(boton("Cerrar", null, "fecha-nav", function () { cerrar(); }));
    panel.appendChild(pie);
    if (foco) {
      var elegible = panel.querySelector('[data-dia="' + escribir(foco) + '"]');
      if (elegible) { elegible.focus(); }
    }
  }

  // Teclado: flecha abajo entra al calendario; flechas mueven un día o una semana, RePág/AvPág un mes,
  // Intro elige (es un botón) y Escape vuelve al campo sin cambiarlo.
  function enfocar(dia) {
    foco = dia;
    mes = new Date(dia.getFullYear(), dia.getMonth(), 1);
    dibujar();
  }

  var PASOS = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };

  function abrir(entrada) {
    if (campo === entrada && panel) { return; }
    cerrar();
    campo = entrada;
    var elegida = leer(entrada.value) || new Date();
    mes = new Date(elegida.getFullYear(), elegida.getMonth(), 1);
    panel = document.createElement("div");
    panel.className = "fecha-calendario";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", "Calendario");
    var caja = entrada.getBoundingClientRect();
    panel.style.top = (window.scrollY + caja.bottom + 2) + "px";
    panel.style.left = (window.scrollX + caja.left) + "px";
    document.body.appendChild(panel);
    dibujar();
  }

  // Los filtros de fecha de las listas (vistas/filtros_fecha.py, tipo «fecha»): bs4_filters.js de Flask-Admin
  // crea su campo como «flt<n>_<arg>»; sus tipos vienen en #filter-groups-data.
  var argsDeFecha = null;
  function esFiltroDeFecha(el) {
    if (!el.classList.contains("filter-val")) { return false; }
    if (argsDeFecha === null) {
      argsDeFecha = {};
      var datos = document.getElementById("filter-groups-data");
      var grupos = datos ? JSON.parse(datos.textContent) : {};
      Object.keys(grupos).forEach(function (g) {
        grupos[g].forEach(function (f) { if (f.type === "fecha") { argsDeFecha[String(f.arg)] = true; } });
      });
    }
    var arg = /^flt\d+_(.+)$/.exec(el.name || "");
    if (!arg || !argsDeFecha[arg[1]]) { return false; }
    el.setAttribute("data-fecha", "dd/mm/aaaa");
    el.setAttribute("placeholder", "dd/mm/aaaa");
    el.setAttribute("autocomplete", "off");
    return true;
  }
  function esCampo(el) {
    return !!(el && el.matches && (el.matches("input[data-fecha]") || (el.matches("input") && esFiltroDeFecha(el))));
  }

  document.addEventListener("focusin", function (e) {
    if (devolviendo) { return; }
    if (esCampo(e.target)) { abrir(e.target); }
    else if (panel && !panel.contains(e.target)) { cerrar(); }
  });
  document.addEventListener("click", function (e) {
    if (esCampo(e.target)) { abrir(e.target); }
    else if (panel && !panel.contains(e.target)) { cerrar(); }
  });
  // Lo que se escribe queda como se escribió; el calendario solo sigue al mes de la fecha escrita.
  document.addEventListener("input", function (e) {
    if (e.target === campo && panel) {
      var f = leer(campo.value);
      if (f) { mes = new Date(f.getFullYear(), f.getMonth(), 1); }
      dibujar();
    }
  });
  document.addEventListener("keydown", function (e) {
    if (!panel) {
      if (esCampo(e.target) && e.key === "ArrowDown") { abrir(e.target); } else { return; }
    }
    var enPanel = panel.contains(e.target);
    if (e.key === "Escape" || e.key === "Tab") {
      if (e.key === "Escape" && enPanel) { e.preventDefault(); }
      cerrar(enPanel && e.key === "Escape");
    } else if (e.target === campo && e.key === "ArrowDown") {
      e.preventDefault();
      var escrita = leer(campo.value), hoy = new Date();
      enfocar(escrita || new Date(hoy.getFullYear(), hoy.getMonth(), hoy.getDate()));
    } else if (enPanel && foco && (e.key in PASOS || e.key === "PageUp" || e.key === "PageDown")) {
      e.preventDefault();
      if (e.key in PASOS) {
        enfocar(new Date(foco.getFullYear(), foco.getMonth(), foco.getDate() + PASOS[e.key]));
      } else {
        enfocar(new Date(foco.getFullYear(), foco.getMonth() + (e.key === "PageUp" ? -1 : 1), foco.getDate()));
      }
    }
  });
})();
