/* "In bài viết" and "Lưu bài viết": both open the browser's print dialog, where the
 * visitor prints or chooses "Save as PDF". Shown only when this script runs. */
(function () {
  "use strict";
  var tools = document.querySelector(".article-tools");
  if (!tools || !window.print) return;
  tools.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (button) window.print();
  });
  tools.hidden = false;
})();
