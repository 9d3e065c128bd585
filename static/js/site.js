// The one script of every page. A form that came back with errors: focus its summary, so a
// screen reader reads it and a phone scrolls to it. And the site's own service worker (/sw.js),
// which keeps the crisis lines for when there is no connection.
(function () {
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
  var worker = document.currentScript && document.currentScript.dataset.worker;
  if (worker && "serviceWorker" in navigator) {
    navigator.serviceWorker.register(worker);
  }
})();
