/* Caravan public site script: small, no dependencies, loaded with `defer`.
   Assembles the company's e-mail address and phone numbers in the visitor's browser;
   the served HTML only holds them scrambled (reversed, base64), so address harvesters
   that read HTML find nothing, while a person sees and can click them. */
(function () {
  "use strict";

  function unscramble(text) {
    var bytes = Uint8Array.from(atob(text), function (c) { return c.charCodeAt(0); });
    return Array.from(new TextDecoder().decode(bytes)).reverse().join("");
  }

  function revealContacts(root) {
    root.querySelectorAll("a.protected-contact[data-value]").forEach(function (link) {
      try {
        var value = unscramble(link.dataset.value);
        link.href = unscramble(link.dataset.scheme) + unscramble(link.dataset.link);
        link.textContent = value;
        link.dir = "ltr";
        link.classList.add("is-revealed");
        ["value", "link", "scheme"].forEach(function (k) { delete link.dataset[k]; });
      } catch (e) {
        /* Leave the fallback link to the contact page in place. */
      }
    });
  }

  window.Caravan = window.Caravan || {};
  window.Caravan.revealContacts = revealContacts;

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { revealContacts(document); });
  } else {
    revealContacts(document);
  }
})();
