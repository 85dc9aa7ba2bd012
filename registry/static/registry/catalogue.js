// The catalogue without a separate button: a changed filter or sort order is
// applied at once. Without this script the form works with its buttons.
// On narrow screens the filters start folded behind "Filters".
(function () {
  "use strict";
  document.documentElement.classList.add("site-has-script");
  var narrow = window.matchMedia("(max-width: 55.99rem)");
  document.querySelectorAll("details[data-narrow-closed]").forEach(function (details) {
    if (narrow.matches && window.location.hash !== "#" + details.id) {
      details.open = false;
    }
    // Wider again (a turned tablet): the filters stand beside the results, open.
    narrow.addEventListener("change", function (event) {
      if (!event.matches) details.open = true;
    });
  });
  document.querySelectorAll("form[data-auto-submit]").forEach(function (form) {
    // After the new results load, focus returns to the control that was
    // changed, so a keyboard user goes on where they were (WCAG 2.4.3).
    var key = "catalogue-focus";
    var last = window.sessionStorage && sessionStorage.getItem(key);
    if (last) {
      sessionStorage.removeItem(key);
      var control = document.getElementById(last);
      if (control) {
        var details = control.closest("details");
        if (details) details.open = true;
        control.focus();
      }
    }
    form.addEventListener("change", function (event) {
      var target = event.target;
      // A "compare" tick belongs to the compare form (form="compare-form"),
      // not to the filters: it changes nothing until "Compare" is pressed.
      if (target.form !== form) return;
      if (target.matches("input[type=checkbox], select")) {
        // Page 1 of the new selection, not the page the visitor was on.
        var page = form.querySelector("input[name=page]");
        if (page) page.remove();
        if (window.sessionStorage && target.id) sessionStorage.setItem(key, target.id);
        form.requestSubmit ? form.requestSubmit() : form.submit();
      }
    });
  });
})();
