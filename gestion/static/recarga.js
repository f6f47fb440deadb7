// La página de un trabajo que aún corre se recarga sola: el elemento con data-recarga dice cada cuántos
// segundos. Archivo aparte porque la CSP no admite <script> en línea sin nonce.
(function () {
  var marca = document.querySelector("[data-recarga]");
  if (marca) {
    window.setTimeout(function () { window.location.reload(); }, 1000 * parseInt(marca.getAttribute("data-recarga"), 10));
  }
})();
