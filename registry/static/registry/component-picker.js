// Every component field on a form (input[data-picker]) as a combobox (the ARIA
// 1.2 pattern with a list box): type part of a name, choose a match with the
// arrow keys and Enter or the mouse. The visible box shows the name; a hidden
// field sends the component's identifier, which is what the form has always
// received. Without this script the field takes an identifier or an exact
// name: the usage form's "Find" search lists matches that fill it in, and the
// integration form's boxes offer the browser's own suggestions (a datalist).
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[data-picker]");
  if (!inputs.length || !window.fetch) return;
  var messages = {
    nl: { found: "{n} componenten gevonden; kies met de pijltjestoetsen.", one: "1 component gevonden; kies met de pijltjestoetsen.", none: "Geen component gevonden." },
    en: { found: "{n} components found; choose with the arrow keys.", one: "1 component found; choose with the arrow keys.", none: "No component found." },
  };
  var words = messages[document.documentElement.lang] || messages.en;

  document.querySelectorAll("[data-picker-fallback]").forEach(function (element) {
    element.hidden = true;
  });
  inputs.forEach(enhance);

  function enhance(input) {
    // The combobox takes the place of the browser's suggestions.
    input.removeAttribute("list");
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = input.name;
    hidden.value = input.value;
    input.removeAttribute("name");
    input.after(hidden);

    var listbox = document.createElement("ul");
    listbox.id = input.id + "_listbox";
    listbox.className = "site-combobox__listbox";
    listbox.setAttribute("role", "listbox");
    var label = document.querySelector('label[for="' + input.id + '"]');
    if (label) {
      label.id = label.id || input.id + "_label";
      listbox.setAttribute("aria-labelledby", label.id);
    }
    listbox.hidden = true;

    var status = document.createElement("div");
    status.className = "site-visually-hidden";
    status.setAttribute("role", "status");

    var wrapper = document.createElement("div");
    wrapper.className = "site-combobox";
    input.before(wrapper);
    wrapper.append(input, listbox, status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("autocomplete", "off");

    var options = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function open() {
      if (!options.length) return;
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function setActive(index) {
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
      } else {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      }
    }

    function choose(option) {
      input.value = option.dataset.name;
      hidden.value = option.dataset.slug;
      close();
    }

    function show(results) {
      listbox.replaceChildren();
      options = results.map(function (result, i) {
        var option = document.createElement("li");
        option.id = listbox.id + "_" + i;
        option.className = "site-combobox__option";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.slug = result.slug;
        option.dataset.name = result.name;
        var publisher = document.createElement("span");
        publisher.className = "site-muted";
        publisher.textContent = " (" + result.publisher + ")";
        option.append(result.name, publisher);
        listbox.append(option);
        return option;
      });
      active = -1;
      if (options.length) {
        status.textContent = options.length === 1 ? words.one : words.found.replace("{n}", options.length);
        open();
      } else {
        status.textContent = words.none;
        close();
      }
    }

    function search() {
      var text = input.value.trim();
      var ask = ++asked;
      if (text.length < 2) {
        show([]);
        status.textContent = "";
        return;
      }
      var base = input.dataset.picker;
      var url = base + (base.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(text);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (ask === asked) show(data.results || []); })
        .catch(function () { /* the field still takes an identifier or an exact name */ });
    }

    input.addEventListener("input", function () {
      // Typing without choosing sends what was typed: an identifier or an exact name.
      hidden.value = input.value;
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });

    input.addEventListener("keydown", function (event) {
      var expanded = !listbox.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!expanded) { open(); }
        if (options.length) setActive((active + 1) % options.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (!expanded) { open(); }
        if (options.length) setActive(active <= 0 ? options.length - 1 : active - 1);
      } else if (event.key === "Enter") {
        if (expanded && active >= 0) {
          event.preventDefault(); // choosing is not yet submitting
          choose(options[active]);
        }
      } else if (event.key === "Escape") {
        if (expanded) {
          event.preventDefault();
          close();
        } else if (input.value) {
          input.value = "";
          hidden.value = "";
        }
      }
    });

    // mousedown would move the focus away and close the list before the click lands.
    listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
    listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) {
        choose(option);
        input.focus();
      }
    });
    input.addEventListener("blur", close);
  }
})();
