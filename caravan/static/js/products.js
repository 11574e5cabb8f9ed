/* Product gallery: the thumbnails are plain links to the pictures (#picture-N) and work
   without this script; with it, a thumbnail scrolls the picture strip sideways only,
   without moving the page, and marks itself as the current picture. */
(function () {
  "use strict";
  document.querySelectorAll("[data-product-gallery]").forEach(function (gallery) {
    var strip = gallery.querySelector(".product-gallery__slides");
    var thumbs = Array.prototype.slice.call(gallery.querySelectorAll(".product-gallery__thumbs a"));
    if (!strip || !thumbs.length) return;

    function mark(current) {
      thumbs.forEach(function (thumb) {
        if (thumb === current) thumb.setAttribute("aria-current", "true");
        else thumb.removeAttribute("aria-current");
      });
    }

    thumbs.forEach(function (thumb) {
      thumb.addEventListener("click", function (event) {
        var slide = document.getElementById(thumb.getAttribute("href").slice(1));
        if (!slide) return;
        event.preventDefault();
        slide.scrollIntoView({ block: "nearest", inline: "start", behavior: "smooth" });
        mark(thumb);
      });
    });

    strip.addEventListener("scroll", function () {
      var index = Math.round(Math.abs(strip.scrollLeft) / Math.max(strip.clientWidth, 1));
      if (thumbs[index]) mark(thumbs[index]);
    }, { passive: true });
  });
})();
