// Copy-link button of the article page. Progressive enhancement: the button stays hidden
// unless this browser lets pages write to the clipboard; sharing works without it.
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) return;
  document.querySelectorAll("[data-copy-link]").forEach(function (button) {
    var status = button.parentNode.querySelector(".copy-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.getAttribute("data-copy-link")).then(function () {
        if (status) status.textContent = "Đã sao chép liên kết.";
      }, function () {
        if (status) status.textContent = "Không sao chép được; hãy chép địa chỉ trên thanh trình duyệt.";
      });
    });
  });
})();
