/* Caravan inquiry dialog: small, no dependencies, loaded with `defer`.

   Without this script the "Contact supplier" and "Send inquiry" actions are plain links to
   the inquiry page, which works on its own. With it they open an accessible <dialog>:
   labelled by its heading, focus kept inside, Esc closes it, focus returns to the button
   that opened it. Each time it opens it fetches a fresh signed form token (the page's HTML
   holds no per-visitor state), posts with fetch and shows errors next to the fields and
   the confirmation inside the dialog.

   It also remembers the visit's landing page, referrer and UTM parameters, and the paths
   of the last 20 pages of this site viewed in the visit, in sessionStorage (first-party,
   this tab only, no cookie) so that an inquiry records where the buyer came from and
   what they looked at. The server keeps only paths of this site (attribution.py). */
(function () {
  "use strict";

  var VISIT_KEY = "caravan.visit";
  var PAGES_KEY = "caravan.pages";
  var MAX_PAGES = 20;
  var UTM = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"];

  var dialog = null;
  var form = null;
  var done = null;
  var pageForm = null;
  var opener = null;
  var tokenRequest = null;
  var countriesLoaded = false;
  var sending = false;
  var succeeded = false;

  /* Attribution ---------------------------------------------------------------------- */

  function readVisit() {
    try {
      return JSON.parse(window.sessionStorage.getItem(VISIT_KEY)) || null;
    } catch (e) {
      return null;
    }
  }

  function rememberVisit() {
    if (readVisit()) {
      return;
    }
    var visit = { landing: window.location.href, referrer: "" };
    var referrer = document.referrer || "";
    try {
      if (referrer && new URL(referrer).origin !== window.location.origin) {
        visit.referrer = referrer;
      }
    } catch (e) {
      /* An unparseable referrer is left out. */
    }
    var params = new URLSearchParams(window.location.search);
    UTM.forEach(function (name) {
      if (params.get(name)) {
        visit[name] = params.get(name);
      }
    });
    try {
      window.sessionStorage.setItem(VISIT_KEY, JSON.stringify(visit));
    } catch (e) {
      /* Storage refused (private mode, quota): the inquiry simply carries less. */
    }
  }

  function readPages() {
    try {
      var pages = JSON.parse(window.sessionStorage.getItem(PAGES_KEY));
      return Array.isArray(pages) ? pages : [];
    } catch (e) {
      return [];
    }
  }

  function rememberPage() {
    var pages = readPages();
    var path = window.location.pathname;
    if (pages[pages.length - 1] !== path) {
      pages.push(path);
    }
    try {
      window.sessionStorage.setItem(PAGES_KEY, JSON.stringify(pages.slice(-MAX_PAGES)));
    } catch (e) {
      /* Storage refused: the inquiry carries no pages. */
    }
  }

  function fillAttribution(target, inDialog) {
    var visit = readVisit() || {};
    var values = {
      referrer: visit.referrer || "",
      landing: visit.landing || "",
      pages: JSON.stringify(readPages())
    };
    UTM.forEach(function (name) {
      values[name] = visit[name] || "";
    });
    if (inDialog) {
      values.page = window.location.href;
    }
    target.querySelectorAll("[data-inquiry-attr]").forEach(function (input) {
      var name = input.getAttribute("data-inquiry-attr");
      if (name in values && (inDialog || !input.value)) {
        input.value = values[name];
      }
    });
  }

  /* Dialog --------------------------------------------------------------------------- */

  function focusables() {
    return Array.prototype.filter.call(
      dialog.querySelectorAll(
        "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])"
      ),
      function (el) {
        return el.getClientRects().length > 0 && !el.closest("[hidden], [aria-hidden='true']");
      }
    );
  }

  function trapFocus(event) {
    if (event.key !== "Tab") {
      return;
    }
    var items = focusables();
    if (!items.length) {
      event.preventDefault();
      return;
    }
    var first = items[0];
    var last = items[items.length - 1];
    var active = document.activeElement;
    if (event.shiftKey && (active === first || !dialog.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !dialog.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  }

  function field(name) {
    return form.querySelector("[name='" + name + "']");
  }

  function setStatus(text) {
    var status = form.querySelector("[data-inquiry-status]");
    status.textContent = text || "";
    status.hidden = !text;
  }

  function clearErrors(target) {
    target.querySelectorAll("[data-error-for]").forEach(function (p) {
      var input = target.querySelector("[name='" + p.getAttribute("data-error-for") + "']");
      p.textContent = "";
      p.hidden = true;
      if (input) {
        input.removeAttribute("aria-invalid");
        input.closest(".field").classList.remove("field--invalid");
      }
    });
  }

  /* A field the server refused is marked again as valid as soon as the buyer has changed
     it into something that can pass: the browser's own checks (required, length) and, for
     the contact, an e-mail address or a number with enough digits. The server still
     decides on the next submit; nothing typed is touched. */
  var CONTACT_LOOKS_VALID = /^[^\s@]+@[^\s@]+\.[^\s@]+$|^[^@]*(\d[^\d@]*){6,}$/;

  function looksValid(input) {
    if (!input.checkValidity()) {
      return false;
    }
    if (input.name === "contact") {
      return CONTACT_LOOKS_VALID.test(input.value.trim());
    }
    return input.name !== "name" && input.name !== "message" ? true : input.value.trim() !== "";
  }

  function onFieldChanged(event) {
    var input = event.target;
    if (!input.name || input.getAttribute("aria-invalid") !== "true") {
      return;
    }
    if (input.value === input.getAttribute("data-refused-value") || !looksValid(input)) {
      return;
    }
    var target = input.form;
    var error = target.querySelector("[data-error-for='" + input.name + "']");
    if (error) {
      error.textContent = "";
      error.hidden = true;
    }
    input.removeAttribute("aria-invalid");
    input.removeAttribute("data-refused-value");
    var wrapper = input.closest(".field");
    if (wrapper) {
      wrapper.classList.remove("field--invalid");
    }
  }

  function watchFields(target) {
    target.querySelectorAll("[aria-invalid='true']").forEach(function (input) {
      input.setAttribute("data-refused-value", input.value);
    });
    ["input", "change", "focusout"].forEach(function (type) {
      target.addEventListener(type, onFieldChanged);
    });
  }

  function showErrors(errors) {
    var firstInvalid = null;
    form.querySelectorAll("[data-error-for]").forEach(function (p) {
      var name = p.getAttribute("data-error-for");
      var messages = errors[name];
      if (!messages || !messages.length) {
        return;
      }
      var input = field(name);
      p.textContent = messages.join(" ");
      p.hidden = false;
      if (input) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("data-refused-value", input.value);
        input.closest(".field").classList.add("field--invalid");
        firstInvalid = firstInvalid || input;
      }
    });
    if (errors.__all__) {
      setStatus(errors.__all__.join(" "));
    }
    if (firstInvalid) {
      firstInvalid.focus();
    }
  }

  function fillCountries(list) {
    if (countriesLoaded || !Array.isArray(list)) {
      return;
    }
    var select = form.querySelector("[data-inquiry-countries]");
    var keep = select.value;
    var options = document.createDocumentFragment();
    list.forEach(function (item) {
      var option = document.createElement("option");
      option.value = item[0];
      option.textContent = item[1];
      options.appendChild(option);
    });
    select.appendChild(options);
    select.value = keep;
    countriesLoaded = true;
  }

  function fetchToken() {
    var input = form.querySelector("[data-inquiry-token]");
    input.value = "";
    tokenRequest = window
      .fetch(dialog.getAttribute("data-token-url"), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store"
      })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("token " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        input.value = data.token;
        fillCountries(data.countries);
        return data.token;
      });
    tokenRequest.catch(function () {
      tokenRequest = null;
    });
    return tokenRequest;
  }

  function ensureToken() {
    if (form.querySelector("[data-inquiry-token]").value) {
      return Promise.resolve();
    }
    return tokenRequest || fetchToken();
  }

  function setSending(on) {
    var button = form.querySelector("[data-inquiry-submit]");
    sending = on;
    form.setAttribute("aria-busy", on ? "true" : "false");
    button.disabled = on;
    if (on) {
      button.setAttribute("data-label", button.textContent);
      button.textContent = dialog.getAttribute("data-sending");
    } else if (button.getAttribute("data-label")) {
      button.textContent = button.getAttribute("data-label");
    }
  }

  function showDone(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    done.replaceChildren(template.content);
    form.hidden = true;
    done.hidden = false;
    succeeded = true;
    dialog.querySelector("#inquiry-dialog-title").textContent = dialog.getAttribute("data-done-heading");
    var title = done.querySelector("[data-inquiry-done-title]");
    (title || done).focus();
  }

  function resetAfterSuccess() {
    form.reset();
    clearErrors(form);
    setStatus("");
    done.replaceChildren();
    done.hidden = true;
    form.hidden = false;
    succeeded = false;
  }

  function onSubmit(event) {
    event.preventDefault();
    if (sending) {
      return;
    }
    clearErrors(form);
    setStatus("");
    setSending(true);
    var tokenFailed = false;
    ensureToken()
      .catch(function (error) {
        tokenFailed = true;
        throw error;
      })
      .then(function () {
        return window.fetch(form.action, {
          method: "POST",
          body: new URLSearchParams(new FormData(form)),
          headers: { Accept: "application/json" },
          credentials: "same-origin"
        });
      })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (data) {
            return { status: response.status, data: data };
          });
      })
      .then(function (result) {
        if (result.status === 201 && result.data.html) {
          showDone(result.data.html);
        } else if (result.status === 400 && result.data.errors) {
          showErrors(result.data.errors);
        } else {
          setStatus(result.data.error || dialog.getAttribute("data-error-server"));
        }
      })
      .catch(function () {
        setStatus(dialog.getAttribute(tokenFailed ? "data-error-token" : "data-error-network"));
      })
      .then(function () {
        setSending(false);
      });
  }

  function open(link) {
    opener = link;
    if (succeeded) {
      resetAfterSuccess();
    }
    var heading = link.getAttribute("data-inquiry-heading");
    if (heading) {
      dialog.querySelector("#inquiry-dialog-title").textContent = heading;
    }
    var productId = link.getAttribute("data-product-id") || "";
    var productTitle = link.getAttribute("data-product-title") || "";
    form.querySelector("[data-inquiry-product]").value = productId;
    form.querySelector("[data-inquiry-product-title]").textContent = productTitle;
    form.querySelector("[data-inquiry-product-line]").hidden = !productId;
    fillAttribution(form, true);
    setStatus("");
    dialog.showModal();
    field("name").focus();
    fetchToken().catch(function () {
      setStatus(dialog.getAttribute("data-error-token"));
    });
  }

  function onClose() {
    if (succeeded) {
      resetAfterSuccess();
    }
    if (opener && document.contains(opener)) {
      opener.focus();
    }
    opener = null;
  }

  function onClick(event) {
    var link = event.target.closest ? event.target.closest("a[data-inquiry-open]") : null;
    if (
      !link ||
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    ) {
      return;
    }
    if (dialog) {
      event.preventDefault();
      open(link);
    } else if (pageForm) {
      // On the inquiry page itself the form is already here.
      event.preventDefault();
      pageForm.querySelector("[name='name']").focus();
    }
  }

  function setup() {
    rememberVisit();
    rememberPage();
    pageForm = document.querySelector("form[data-inquiry-form='page']");
    if (pageForm) {
      fillAttribution(pageForm, false);
      watchFields(pageForm);
      // The page came back with errors: start at the first field to correct.
      var firstInvalid = pageForm.querySelector("[aria-invalid='true']");
      if (firstInvalid) {
        firstInvalid.focus();
      }
    }
    var candidate = document.getElementById("inquiry-dialog");
    if (candidate && typeof candidate.showModal === "function" && window.fetch) {
      dialog = candidate;
      form = dialog.querySelector("form");
      done = dialog.querySelector("[data-inquiry-done]");
      form.addEventListener("submit", onSubmit);
      watchFields(form);
      dialog.addEventListener("keydown", trapFocus);
      dialog.addEventListener("close", onClose);
      dialog.addEventListener("click", function (event) {
        if (event.target.closest("[data-inquiry-close]")) {
          dialog.close();
        }
      });
    }
    document.addEventListener("click", onClick);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
