// Beside django-otp-webauthn's scripts (served from this site, under the site's CSP).
// They call gettext(), which Django's JavaScript catalog would define; the portal speaks English,
// so the text is the text.
window.gettext = window.gettext || ((text) => text);

// A passkey just added: on to the page that names it.
document.addEventListener("otp_webauthn.register_complete", (event) => {
  const holder = document.querySelector("[data-passkey-name-url]");
  const id = Number(event.detail && event.detail.id);
  if (holder && Number.isInteger(id) && id > 0) {
    window.location.assign(holder.dataset.passkeyNameUrl.replace("/0/", `/${id}/`));
  }
});
