// 「换一张」 without a round trip: fetch a new challenge and swap the picture, the audio and
// the hidden key in place, so nothing typed elsewhere in the form is touched; the server
// voids the picture replaced. Without this script the same button submits the form and the
// server re-renders it with a new picture.
document.addEventListener("click", function (event) {
  var button = event.target.closest(".captcha-refresh");
  if (!button) return;
  var box = button.closest(".captcha");
  event.preventDefault();
  var key = box.querySelector("input[type=hidden]");
  var url = box.dataset.refreshUrl + "?replaces=" + encodeURIComponent(key.value);
  fetch(url, { headers: { "X-Requested-With": "XMLHttpRequest" }, credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    })
    .then(function (fresh) {
      box.querySelector(".captcha-image").src = fresh.image_url;
      key.value = fresh.key;
      var audio = box.querySelector("audio");
      if (audio && fresh.audio_url) {
        audio.src = fresh.audio_url;
        audio.querySelector("a").href = fresh.audio_url;
      }
      var answer = box.querySelector("input.captcha-answer");
      answer.value = "";
      answer.focus();
      box.querySelector(".captcha-status").textContent = box.dataset.refreshedText;
    })
    .catch(function () {
      button.form.requestSubmit(button); // fall back to the server-side refresh
    });
});
