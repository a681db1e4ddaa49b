// Polls an import's progress and reloads the page when it has finished; the
// reloaded page then says the outcome in its status region, since a reload
// alone tells a screen reader user nothing.
(function () {
  "use strict";
  var FINISHED = "qingqian-import-finished";
  var outcome = document.getElementById("import-outcome");
  if (!outcome) { return; }

  function remember() {
    try { window.sessionStorage.setItem(FINISHED, outcome.dataset.import); } catch (e) { /* storage off: no announcement */ }
  }

  function announceIfJustFinished() {
    var finished = null;
    try { finished = window.sessionStorage.getItem(FINISHED); } catch (e) { return; }
    if (finished !== outcome.dataset.import || !outcome.dataset.text) { return; }
    window.sessionStorage.removeItem(FINISHED);
    // Filled after load: a status region only speaks when its content changes.
    window.setTimeout(function () { outcome.textContent = outcome.dataset.text; }, 300);
  }

  announceIfJustFinished();
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
          remember();
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
