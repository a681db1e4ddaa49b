// Polls an import's progress and reloads the page when it has finished.
(function () {
  "use strict";
  var bar = document.getElementById("progress");
  if (!bar) { return; }
  var rows = document.getElementById("progress-rows");
  var rowsText = rows ? rows.textContent : "";
  function poll() {
    fetch(bar.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (progress) {
        bar.value = progress.fraction;
        if (rows) { rows.textContent = rowsText.replace(/[0-9][0-9,]*/, String(progress.rows)); }
        if (progress.state === "queued" || progress.state === "running") {
          window.setTimeout(poll, 1000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
