// Print layout of a list: open the print dialog once the whole table is there.
(function () {
  "use strict";
  window.addEventListener("load", function () {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    window.print();
  });
}());
