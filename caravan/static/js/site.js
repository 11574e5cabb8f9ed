/* Caravan public site script: small, no dependencies, loaded with `defer`.
   Assembles the company's e-mail address and phone numbers in the visitor's browser;
   the served HTML only holds them scrambled (reversed, base64), so address harvesters
   that read HTML find nothing, while a person sees and can click them.
   Also closes an open menu or language menu when the visitor presses Esc or clicks
   elsewhere (the <details> open and close by themselves). */
(function () {
  "use strict";

  function unscramble(text) {
    var bytes = Uint8Array.from(atob(text), function (c) { return c.charCodeAt(0); });
    return Array.from(new TextDecoder().decode(bytes)).reverse().join("");
  }

  /* Each protected contact is a small form (its button asks the server for a page that
     shows it, for visitors without JavaScript); here it becomes the link itself. */
  function revealContacts(root) {
    root.querySelectorAll(".protected-contact[data-value]").forEach(function (holder) {
      try {
        var link = document.createElement("a");
        link.href = unscramble(holder.dataset.scheme) + unscramble(holder.dataset.link);
        link.textContent = unscramble(holder.dataset.value);
        link.dir = "ltr";
        link.className = "protected-contact is-revealed";
        link.dataset.kind = holder.dataset.kind;
        holder.replaceWith(link);
      } catch (e) {
        /* Leave the form in place: its button still shows the contact. */
      }
    });
  }

  function closeMenus(except) {
    document.querySelectorAll(".site-header details[open]").forEach(function (menu) {
      if (menu !== except) {
        menu.open = false;
      }
    });
  }

  document.addEventListener("keydown", function (event) {
    var menu = event.key === "Escape" && event.target.closest && event.target.closest(".site-header details[open]");
    if (menu) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", function (event) {
    closeMenus(event.target.closest ? event.target.closest(".site-header details") : null);
  });

  window.Caravan = window.Caravan || {};
  window.Caravan.revealContacts = revealContacts;

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { revealContacts(document); });
  } else {
    revealContacts(document);
  }
})();
