/* The lead page in the admin: leaving it with a note typed but not saved asks first
   (the browser's own "Leave site?" question). Every button of the lead's form saves the
   note with it, so only links and closing the tab can lose it. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-lead-form]");
  if (!form) {
    return;
  }
  var note = form.querySelector("textarea[name='text']");
  var saving = false;
  form.addEventListener("submit", function () {
    saving = true;
  });
  window.addEventListener("beforeunload", function (event) {
    if (!saving && note && note.value.trim()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
