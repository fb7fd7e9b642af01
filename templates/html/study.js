/* cardsmith study page: search and filters over the questions in the page, and a study queue kept in
   localStorage by the deck's stable question ids. No network, no library; the page works without it
   (every question is a <details>). */
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var body = document.body;
  var KEY = JSON.parse(body.dataset.key);
  var items = Array.prototype.slice.call(document.querySelectorAll("li.q"));
  var byId = {};
  items.forEach(function (item) { byId[item.dataset.id] = item; });
  var groups = Array.prototype.slice.call(document.querySelectorAll("section.group"));
  var search = $("search"), section = $("section"), tag = $("tag");
  var count = $("count"), none = $("none");
  var texts = null; // each question's text, lower case, made at the first search
  var marked = []; // elements whose <mark>s the last search added

  ["study-mode", "search", "section", "tag", "expand"].forEach(function (id) {
    if ($(id)) { $(id).hidden = false; }
  });
  if (!document.querySelector("#section option[value='0'], #section option[value='1']")) {
    section.hidden = true; // one section or none: nothing to choose
  }

  /* ---- browse: search, filters, expand ---------------------------------------------------- */

  // a code block, table or formula wider than the screen scrolls inside itself: keyboard users must
  // be able to reach it to scroll it
  function scrollables(root) {
    var boxes = root.querySelectorAll("pre, table, math[display='block'], .math");
    for (var b = 0; b < boxes.length; b++) {
      var box = boxes[b];
      if (box.scrollWidth > box.clientWidth + 1 && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
      }
    }
  }
  document.addEventListener("toggle", function (event) {
    if (event.target.open) { scrollables(event.target); }
  }, true);

  function textOf(item) {
    return item.textContent.replace(/\s+/g, " ").toLowerCase();
  }

  function sectionOf(item) {
    return item.closest("section.group").dataset.section;
  }

  function matches(item, index, words) {
    if (section.value && sectionOf(item) !== section.value) { return false; }
    if (tag && tag.value && (" " + item.dataset.tags + " ").indexOf(" " + tag.value + " ") < 0) {
      return false;
    }
    for (var w = 0; w < words.length; w++) {
      if (texts[index].indexOf(words[w]) < 0) { return false; }
    }
    return true;
  }

  function unmark() {
    marked.forEach(function (element) {
      var marks = element.querySelectorAll("mark.hit");
      for (var m = 0; m < marks.length; m++) {
        var mark = marks[m];
        mark.replaceWith(document.createTextNode(mark.textContent));
      }
      element.normalize();
    });
    marked = [];
  }

  function mark(element, words) {
    var walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) { nodes.push(walker.currentNode); }
    var pattern = new RegExp(words.map(function (w) {
      return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }).join("|"), "gi");
    var found = false;
    nodes.forEach(function (node) {
      var text = node.nodeValue;
      pattern.lastIndex = 0;
      if (!pattern.test(text)) { return; }
      pattern.lastIndex = 0;
      var fragment = document.createDocumentFragment(), last = 0, hit;
      while ((hit = pattern.exec(text)) !== null) {
        if (hit[0] === "") { pattern.lastIndex++; continue; }
        fragment.appendChild(document.createTextNode(text.slice(last, hit.index)));
        var m = document.createElement("mark");
        m.className = "hit";
        m.textContent = hit[0];
        fragment.appendChild(m);
        last = hit.index + hit[0].length;
      }
      fragment.appendChild(document.createTextNode(text.slice(last)));
      node.replaceWith(fragment);
      found = true;
    });
    if (found) { marked.push(element); }
  }

  var MARK_AT_MOST = 200; // questions whose matches are marked at once (the first ones shown)

  function filter() {
    var query = search.value.trim().toLowerCase();
    var words = query ? query.split(/\s+/) : [];
    if (words.length && texts === null) { texts = items.map(textOf); }
    unmark();
    var shown = 0, visible = {};
    items.forEach(function (item, index) {
      var keep = matches(item, index, words);
      if (item.hidden === keep) { item.hidden = !keep; }
      if (keep) {
        shown++;
        visible[sectionOf(item)] = true;
        if (words.length && shown <= MARK_AT_MOST) { mark(item, words); }
      }
    });
    // a section's own text (no questions) shows when nothing is filtered, or its section is chosen
    var plain = !words.length && !(tag && tag.value);
    groups.forEach(function (group) {
      var chosen = plain && (!section.value || section.value === group.dataset.section);
      group.hidden = !visible[group.dataset.section] && !(chosen && !group.querySelector("li.q"));
    });
    none.hidden = shown > 0;
    var total = items.length;
    count.textContent = shown === total
      ? total + (total === 1 ? " question" : " questions")
      : shown + " of " + total + " questions";
  }

  var pending = 0;
  search.addEventListener("input", function () {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(filter); // at most once a frame, however fast the typing
  });
  section.addEventListener("change", filter);
  if (tag) { tag.addEventListener("change", filter); }
  search.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { search.value = ""; filter(); }
  });

  var expand = $("expand");
  expand.addEventListener("click", function () {
    var open = expand.getAttribute("aria-pressed") !== "true";
    items.forEach(function (item) {
      if (!item.hidden) { item.firstElementChild.open = open; }
    });
    if (open) { scrollables($("browse")); }
    expand.setAttribute("aria-pressed", String(open));
    expand.textContent = open ? "Collapse all" : "Expand all";
  });

  // print every answer, then put the page back as it was
  var wasOpen = [];
  window.addEventListener("beforeprint", function () {
    wasOpen = items.map(function (item) { return item.firstElementChild.open; });
    items.forEach(function (item) { item.firstElementChild.open = true; });
  });
  window.addEventListener("afterprint", function () {
    items.forEach(function (item, i) { item.firstElementChild.open = wasOpen[i]; });
  });

  /* ---- study: one card at a time, a queue that brings missed cards back ------------------------ */

  var AGAIN_AFTER = 3; // a missed card comes back after this many others
  // the cards to study: a question's id, and for a reversed pair (data-both) also id + "~", the
  // card that asks its answer ("~" is in no question id)
  var cardIds = [];
  items.forEach(function (item) {
    cardIds.push(item.dataset.id);
    if (item.hasAttribute("data-both")) { cardIds.push(item.dataset.id + "~"); }
  });
  var isCard = {};
  cardIds.forEach(function (id) { isCard[id] = true; });
  function itemOf(id) { return byId[id.replace(/~$/, "")]; }
  var state = load();
  var flipped = false;

  function load() {
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(KEY) || "null"); } catch (e) { saved = null; }
    var known = [], queue = [], seen = {};
    if (saved && Array.isArray(saved.queue) && Array.isArray(saved.known)) {
      saved.known.forEach(function (id) {
        if (isCard[id] && !seen[id]) { known.push(id); seen[id] = true; }
      });
      saved.queue.forEach(function (id) {
        if (isCard[id] && !seen[id]) { queue.push(id); seen[id] = true; }
      });
    }
    cardIds.forEach(function (id) { // new questions (or no progress yet): at the end of the queue
      if (!seen[id]) { queue.push(id); }
    });
    return { queue: queue, known: known, studying: !!(saved && saved.studying) };
  }

  function save() {
    try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* private mode: fine */ }
  }

  function inScope(id) { // the section and tag chosen in the filters
    var item = itemOf(id);
    if (section.value && sectionOf(item) !== section.value) { return false; }
    return !(tag && tag.value && (" " + item.dataset.tags + " ").indexOf(" " + tag.value + " ") < 0);
  }

  function current() {
    for (var i = 0; i < state.queue.length; i++) {
      if (inScope(state.queue[i])) { return i; }
    }
    return -1;
  }

  function show() {
    var scope = cardIds.filter(inScope).length;
    var knownHere = state.known.filter(inScope).length;
    var bar = $("bar");
    bar.setAttribute("aria-valuemax", String(scope));
    bar.setAttribute("aria-valuenow", String(knownHere));
    bar.firstElementChild.style.width = (scope ? (100 * knownHere / scope) : 0) + "%";
    $("progress-text").textContent = knownHere + " of " + scope + " known";
    var at = current();
    var card = $("card");
    $("done").hidden = at >= 0;
    card.hidden = at < 0;
    $("show").hidden = at < 0 || flipped;
    $("again").hidden = $("knew").hidden = at < 0 || !flipped;
    if (at < 0) { return; }
    var id = state.queue[at];
    var item = itemOf(id);
    var details = item.firstElementChild;
    var asks = details.querySelector(".prompt"), tells = details.querySelector(".answer");
    if (id.slice(-1) === "~") { var swap = asks; asks = tells; tells = swap; } // the reverse card
    $("card-meta").textContent = [
      item.closest("section.group").querySelector("h2")
        ? item.closest("section.group").querySelector("h2").textContent : "",
      "#" + item.querySelector(".n").textContent
    ].filter(Boolean).join(" · ");
    $("front").innerHTML = "";
    $("front").appendChild(asks.cloneNode(true));
    $("back").innerHTML = "";
    $("back").appendChild(tells.cloneNode(true));
    $("back").hidden = !flipped;
    scrollables(card);
    $("show").setAttribute("aria-expanded", String(flipped));
    card.classList.toggle("flipped", flipped);
  }

  function flip() {
    if (flipped || current() < 0) { return; }
    flipped = true;
    show();
    $("knew").focus();
  }

  function grade(knew) {
    var at = current();
    if (at < 0 || !flipped) { return; }
    var id = state.queue.splice(at, 1)[0];
    if (knew) {
      state.known.push(id);
    } else {
      state.queue.splice(Math.min(at + AGAIN_AFTER, state.queue.length), 0, id);
    }
    flipped = false;
    save();
    show();
    (current() >= 0 ? $("show") : $("restart")).focus();
  }

  function shuffle() {
    for (var i = state.queue.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var t = state.queue[i]; state.queue[i] = state.queue[j]; state.queue[j] = t;
    }
    flipped = false;
    save();
    show();
  }

  function restart() {
    state.known = state.known.filter(function (id) { return !inScope(id); });
    state.queue = cardIds.filter(function (id) {
      return state.known.indexOf(id) < 0;
    });
    flipped = false;
    save();
    show();
    $("show").focus();
  }

  function mode(studying) {
    state.studying = studying;
    save();
    $("browse").hidden = studying;
    $("study").hidden = !studying;
    $("browse-mode").setAttribute("aria-pressed", String(!studying));
    $("study-mode").setAttribute("aria-pressed", String(studying));
    [search, expand].forEach(function (e) { e.hidden = studying; });
    body.classList.toggle("studying", studying);
    if (studying) { flipped = false; show(); } else { filter(); }
  }

  $("browse-mode").addEventListener("click", function () { mode(false); search.focus(); });
  $("study-mode").addEventListener("click", function () {
    mode(true);
    (current() >= 0 ? $("show") : $("restart")).focus();
  });
  $("show").addEventListener("click", flip);
  $("card").addEventListener("click", function (event) {
    if (!event.target.closest("a, button, summary, input")) { flip(); }
  });
  $("again").addEventListener("click", function () { grade(false); });
  $("knew").addEventListener("click", function () { grade(true); });
  $("shuffle").addEventListener("click", shuffle);
  $("restart").addEventListener("click", restart);
  section.addEventListener("change", function () { if (state.studying) { flipped = false; show(); } });
  if (tag) {
    tag.addEventListener("change", function () { if (state.studying) { flipped = false; show(); } });
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var typing = event.target.closest && event.target.closest("input, select, textarea");
    if (typing) { return; }
    if (event.key === "/" && !state.studying) {
      event.preventDefault();
      search.focus();
      return;
    }
    if (!state.studying) { return; }
    var onButton = event.target.closest && event.target.closest("button, a, summary");
    if ((event.key === " " || event.key === "Enter") && !flipped && !onButton) {
      event.preventDefault();
      flip();
    } else if (event.key === " " && !flipped && onButton && event.target.id !== "show") {
      return; // a focused button's own Space
    } else if (event.key === "1" || event.key.toLowerCase() === "a") {
      grade(false);
    } else if (event.key === "2" || event.key.toLowerCase() === "k") {
      grade(true);
    } else if (event.key.toLowerCase() === "s") {
      shuffle();
    }
  });

  mode(state.studying);
})();
