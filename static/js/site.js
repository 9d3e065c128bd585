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

// Passkeys (wnwa.passkeys): django-otp-webauthn's scripts, served from this site, call gettext()
// when a button is pressed, which Django's JavaScript catalog would define; the portal speaks
// English, so the text is the text. A passkey just added goes on to the page that names it.
window.gettext = window.gettext || function (text) { return text; };
document.addEventListener("otp_webauthn.register_complete", function (event) {
  var holder = document.querySelector("[data-passkey-name-url]");
  var id = Number(event.detail && event.detail.id);
  if (holder && Number.isInteger(id) && id > 0) {
    window.location.assign(holder.dataset.passkeyNameUrl.replace("/0/", "/" + id + "/"));
  }
});
