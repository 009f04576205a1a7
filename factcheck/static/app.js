// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Confirm buttons that carry data-confirm before their form is sent.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
