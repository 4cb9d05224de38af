// "Use my location": fills the finder's hidden lat/lng fields from the browser's location and
// submits. Without JavaScript (or without a location) the district choice does the same job.
(function () {
  "use strict";
  var button = document.getElementById("near-me");
  if (!button || !("geolocation" in navigator)) return;
  var form = button.form;
  var status = document.getElementById("near-me-status");
  var lat = form.querySelector("input[name=lat]");
  var lng = form.querySelector("input[name=lng]");
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = button.dataset.locating;
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        lat.value = position.coords.latitude.toFixed(6);
        lng.value = position.coords.longitude.toFixed(6);
        status.textContent = button.dataset.found;
        form.submit();
      },
      function () {
        button.disabled = false;
        status.textContent = button.dataset.failed;
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 300000 }
    );
  });
  // choosing a district to sort from replaces a location given earlier
  var origin = form.querySelector("select[name=origin]");
  if (origin) origin.addEventListener("change", function () { lat.value = ""; lng.value = ""; });
})();
