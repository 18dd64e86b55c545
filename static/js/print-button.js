// A button marked data-print prints the page (the 审签单); without scripts the browser's own print works.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
