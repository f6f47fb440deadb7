/* Los menús de Flask-Admin («Con seleccionados», «Exportar», filtros) son <a href="javascript:void(0)">:
   con la CSP de nonce (gestion/cabeceras.py) el navegador bloquea esa URL y lo anota como violación. Se
   evita la navegación, que no hacía nada; los manejadores de Bootstrap y de Flask-Admin siguen igual. */
document.addEventListener("click", function (e) {
  var enlace = e.target.closest && e.target.closest('a[href^="javascript:"]');
  if (enlace) { e.preventDefault(); }
}, true);
