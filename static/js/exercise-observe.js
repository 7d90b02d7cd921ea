// The observer's form: Ctrl+Enter (or Cmd+Enter) in the observation saves it. The form works
// without this file; the page puts the focus back in the text after every save (autofocus).
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) { return; }
    if (!field.matches || !field.matches("textarea[data-ctrl-enter-submits]")) { return; }
    event.preventDefault();
    if (field.form) { field.form.requestSubmit(); }
  });
})();
