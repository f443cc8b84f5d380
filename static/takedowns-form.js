// The request form, made lighter with JavaScript: a file, not inline code (the Content-Security-Policy
// forbids inline scripts). Without it the form still works: every field is shown with a note saying
// which requests need it, and the server checks the same rules (takedowns/conditional.py).
(function () {
  "use strict";

  // The error summary (or the rate-limit message) takes focus, so screen readers and keyboards start there.
  var summary = document.getElementById("form-errors");
  if (summary) {
    summary.focus();
  }

  var form = document.getElementById("cw-request-form");
  if (!form) {
    return;
  }
  var groups = { types: "request_type", remedies: "remedy", relationships: "relationship" };

  function chosen(name) {
    var checked = form.querySelector('input[name="' + name + '"]:checked');
    return checked ? checked.value : null;
  }

  function labelOf(control) {
    return control.id ? form.querySelector('label[for="' + control.id + '"]') : null;
  }

  function update() {
    var typeChosen = chosen("request_type") !== null;
    form.querySelectorAll(".cw-conditional").forEach(function (wrapper) {
      var control = wrapper.querySelector("[data-cw-types], [data-cw-remedies], [data-cw-relationships]");
      if (!control) {
        return;
      }
      var needed = Object.keys(groups).some(function (key) {
        var values = (control.getAttribute("data-cw-" + key) || "").split(" ");
        var value = chosen(groups[key]);
        return value !== null && values.indexOf(value) !== -1;
      });
      // Until a request type is chosen everything shows, as it does without JavaScript; fields useful to
      // every request ("always") stay, and are only marked required when the choices need them.
      var shown = needed || !typeChosen || control.hasAttribute("data-cw-always");
      wrapper.hidden = !shown;
      // Phone and postal address are "one of the two": shown for copyright, never required on their own.
      var required = needed && !control.hasAttribute("data-cw-either");
      control.required = required;
      if (required) {
        control.setAttribute("aria-required", "true");
      } else {
        control.removeAttribute("aria-required");
      }
      var label = labelOf(control);
      if (label) {
        label.classList.toggle("cw-is-required", required);
      }
    });
  }

  form.addEventListener("change", function (event) {
    if (Object.values(groups).indexOf(event.target.name) !== -1) {
      update();
    }
  });
  update();
})();
