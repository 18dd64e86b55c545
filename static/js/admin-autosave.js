// Wagtail's autosave posts the editor form in the background. On the create screen the first
// autosave creates the page and only when its answer arrives does the form point at the new
// page's edit screen. A save or submit pressed while that request is in flight would post to the
// create screen a second time and create the page again (or fail on its slug). Such a press is
// held until the autosave has answered, then sent to wherever the form points by then.
(() => {
  const busy = new WeakSet();
  const held = new WeakMap();

  const release = (event) => {
    const form = event.target;
    busy.delete(form);
    if (!held.has(form)) return;
    const pressed = held.get(form);
    held.delete(form);
    if (pressed && pressed.name) {
      // The button may have been re-rendered or disabled meanwhile: send its name and value.
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = pressed.name;
      input.value = pressed.value;
      form.append(input);
    }
    form.requestSubmit();
  };

  document.addEventListener("w-autosave:save", (event) => {
    if (!event.defaultPrevented) busy.add(event.target);
  });
  document.addEventListener("w-autosave:success", release);
  document.addEventListener("w-autosave:error", release);

  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (!busy.has(form)) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      held.set(form, event.submitter ? { name: event.submitter.name, value: event.submitter.value } : null);
    },
    true,
  );
})();
