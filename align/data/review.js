// The review page of an align report: sort, search, filter, and label each pair as
// Translation / Partial / Different with the keyboard or the mouse. Decisions are kept
// in the browser (localStorage, keyed by the run's signature) and exported as JSONL,
// one row a pair, for `align calibrate`. No network; page text is only ever set with
// textContent, so a caption holding markup stays text.
//
// Scale: rows live in an array in display order (`order`) and its filtered view
// (`list`). Up to WINDOW_FROM rows every row stays in the table; past that only the
// rows in and near the viewport are attached, between two spacer rows that keep the
// scroll height, so sorting, searching and labelling touch a screenful of rows, not all.
(function () {
  'use strict';
  var WINDOW_FROM = 400;       // rows past which only those near the viewport are in the table
  var MARGIN = 1200;           // pixels of rows kept attached above and below the viewport
  var data = JSON.parse(document.getElementById('review-data').textContent);
  var table = document.getElementById('pairs');
  var toolbar = document.querySelector('.toolbar');
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var columns = table.tHead.rows[0].cells.length;
  var byKey = {};   // key -> every row of that pair (one caption pair on two images is two rows)
  data.rows.forEach(function (r, i) {
    r.key = keyOf(r); r.tr = rows[i]; r.shown = true;
    r.tr.tabIndex = -1; r.tr.setAttribute('aria-selected', 'false');
    (byKey[r.key] = byKey[r.key] || []).push(r);
  });
  var windowed = data.rows.length > WINDOW_FROM;
  var order = data.rows.slice();   // display order (sorting changes it)
  var list = order;                // the rows the filters let through, in display order
  var estimate = 40;               // a row's height until it is measured (set from the first rows shown)
  var estimated = false;
  var spacers = [spacer(), spacer()];
  var attached = {first: -1, last: -1, list: null};
  var store = data.store;
  var labels = load();
  var undo = [];
  var current = null;
  var NAMES = {T: 'translation', P: 'partial', D: 'different'};

  function keyOf(row) {  // a pair is known by its page and its two texts: one label wherever it shows
    return JSON.stringify([row.doc || '', row.he, row.en]);
  }
  function spacer() {
    var tr = document.createElement('tr');
    tr.className = 'spacer';
    tr.setAttribute('aria-hidden', 'true');
    var td = document.createElement('td');
    td.colSpan = columns;
    td.style.padding = '0';
    td.style.border = 'none';
    tr.appendChild(td);
    return tr;
  }

  function load() {
    var kept;
    try { kept = JSON.parse(window.localStorage.getItem(store) || '{}') || {}; }
    catch (e) { return {}; }
    Object.keys(kept).forEach(function (key) {  // pages before 0.12 keyed a pair by its image too
      var parts;
      try { parts = JSON.parse(key); } catch (e) { return; }
      if (Array.isArray(parts) && parts.length === 4) {
        kept[JSON.stringify([parts[0], parts[2], parts[3]])] = kept[key];
        delete kept[key];
      }
    });
    return kept;
  }
  function save() {
    try { window.localStorage.setItem(store, JSON.stringify(labels)); }
    catch (e) { note('labels could not be kept in this browser: export them before closing'); }
  }
  function note(text) { document.getElementById('review-note').textContent = text; }

  function paint(r) {
    var label = labels[r.key] || '';
    if ((r.tr.dataset.label || '') === label && r.painted) { return; }
    r.painted = true;
    r.tr.dataset.label = label;
    r.tr.querySelectorAll('button.lab').forEach(function (b) {
      b.setAttribute('aria-pressed', b.dataset.label === label ? 'true' : 'false');
    });
  }

  function setLabel(r, label, record) {
    if (!r || !r.labelable) { return; }
    if (record !== false) { undo.push([r.key, labels[r.key] || '']); }
    if (label) { labels[r.key] = label; } else { delete labels[r.key]; }
    byKey[r.key].forEach(paint); save();
    if (document.getElementById('filter-label').value) { refresh(); } else { counts(); }
  }

  // --- which rows are in the table ---------------------------------------------------
  function heightOf(r) { return r.height || estimate; }
  function offsetOf(r) {  // pixels from the top of the rows to row r (in list)
    var y = 0;
    for (var k = 0; k < list.length && list[k] !== r; k++) { y += heightOf(list[k]); }
    return y;
  }
  function render(force) {
    if (!windowed) { return; }
    var top = body.getBoundingClientRect().top + window.scrollY;
    var from = window.scrollY - top - MARGIN, to = window.scrollY + window.innerHeight - top + MARGIN;
    var y = 0, first = 0;
    while (first < list.length && y + heightOf(list[first]) < from) { y += heightOf(list[first]); first++; }
    var above = y, last = first;
    while (last < list.length && y < to) { y += heightOf(list[last]); last++; }
    if (!force && attached.list === list && attached.first === first && attached.last === last) { return; }
    var below = 0;
    for (var k = last; k < list.length; k++) { below += heightOf(list[k]); }
    // No layout is read until the rows are in place, and the spacers never leave the table:
    // a document shorter for a moment would clamp the scroll position.
    var focused = body.contains(document.activeElement) ? document.activeElement : null;
    if (!spacers[0].isConnected) { body.replaceChildren(spacers[0], spacers[1]); }
    spacers[0].firstChild.style.height = above + 'px';
    spacers[1].firstChild.style.height = below + 'px';
    var frag = document.createDocumentFragment();
    for (k = first; k < last; k++) { paint(list[k]); frag.appendChild(list[k].tr); }
    while (spacers[0].nextSibling !== spacers[1]) { body.removeChild(spacers[0].nextSibling); }
    body.insertBefore(frag, spacers[1]);
    if (focused && focused.isConnected && document.activeElement !== focused) {
      focused.focus({preventScroll: true});  // moving a row blurs it
    }
    var measured = 0, sum = 0;
    for (k = first; k < last; k++) {
      list[k].height = list[k].tr.getBoundingClientRect().height;
      sum += list[k].height; measured += 1;
    }
    if (measured && !estimated) {  // once: a changing estimate would move every row above the view
      estimate = sum / measured;
      estimated = true;
      render(true);
      return;
    }
    attached = {first: first, last: last, list: list};
  }
  var pending = false;
  function soon() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; render(); });
  }
  if (windowed) {
    body.replaceChildren();  // detached at once: the table is laid out with the rows near the view only
    window.addEventListener('scroll', soon, {passive: true});
    window.addEventListener('resize', soon);
  }
  body.style.display = 'table-row-group';  // the page's style hides the rows until now (see report.py)

  // --- the cursor: the focused row, one tab stop, kept below the sticky toolbar -------
  function ordered() { return order; }
  function select(r, focus) {
    if (current) {
      current.tr.classList.remove('current');
      current.tr.tabIndex = -1;
      current.tr.setAttribute('aria-selected', 'false');
    }
    current = r || null;
    if (!current) { return; }
    var tr = current.tr;
    if (windowed && !tr.isConnected) {  // bring it into the table first
      var top = body.getBoundingClientRect().top + window.scrollY;
      window.scrollTo(0, top + offsetOf(current) - toolbar.getBoundingClientRect().height - 8);
      render();
    }
    tr.classList.add('current');
    tr.tabIndex = 0;
    tr.setAttribute('aria-selected', 'true');
    if (focus !== false && !tr.contains(document.activeElement)) { tr.focus({preventScroll: true}); }
    reveal(tr);
  }
  function reveal(tr) {
    var top = toolbar.getBoundingClientRect().bottom + 4;
    var box = tr.getBoundingClientRect();
    if (box.top < top) { window.scrollBy(0, box.top - top); }
    else if (box.bottom > window.innerHeight - 4) {
      window.scrollBy(0, Math.min(box.bottom - window.innerHeight + 4, box.top - top));
    }
    if (windowed) { render(); }
  }
  function step(delta) {
    var at = current && current.shown ? list.indexOf(current) : -1;
    if (at < 0) { at = delta > 0 ? -1 : list.length; }
    for (var k = at + delta; k >= 0 && k < list.length; k += delta) {
      if (list[k].labelable) { select(list[k]); return; }
    }
    if (!current || !current.shown) {
      var any = list.filter(function (r) { return r.labelable; });
      select(any.length ? any[delta > 0 ? 0 : any.length - 1] : null);
    }
  }

  // --- filters, counts ----------------------------------------------------------------
  function filters() {
    return {q: document.getElementById('search').value.trim().toLowerCase(),
            flag: document.getElementById('filter-flag').value,
            want: document.getElementById('filter-label').value,
            low: parseFloat(document.getElementById('score-min').value),
            high: parseFloat(document.getElementById('score-max').value)};
  }
  function matches(r, f) {
    if (f.q) {
      if (r.text === undefined) { r.text = (r.he + '\n' + r.en + '\n' + (r.doc || '')).toLowerCase(); }
      if (r.text.indexOf(f.q) < 0) { return false; }
    }
    if (f.flag && r.flags.indexOf(f.flag) < 0) { return false; }
    var label = labels[r.key] || '';
    if (f.want === 'none' ? label !== '' : (f.want && label !== f.want)) { return false; }
    if ((!isNaN(f.low) || !isNaN(f.high)) && r.score === null) { return false; }
    if (!isNaN(f.low) && r.score < f.low) { return false; }
    if (!isNaN(f.high) && r.score > f.high) { return false; }
    return true;
  }
  function refresh() {
    var f = filters();
    list = order.filter(function (r) {
      r.shown = matches(r, f);
      if (!windowed && r.tr.hidden === r.shown) { r.tr.hidden = !r.shown; }
      return r.shown;
    });
    if (windowed) { render(true); }
    counts();
    if (current && !current.shown) { select(null); }
  }
  var labelable = Object.keys(byKey).filter(function (key) { return byKey[key][0].labelable; }).length;
  function counts() {  // pairs are counted once however many rows show them
    var tally = {T: 0, P: 0, D: 0};
    Object.keys(labels).forEach(function (key) {
      if (byKey[key] && byKey[key][0].labelable && tally[labels[key]] !== undefined) { tally[labels[key]] += 1; }
    });
    var done = tally.T + tally.P + tally.D;
    document.getElementById('counts').textContent =
      'showing ' + list.length + ' of ' + data.rows.length + ' rows · labelled ' + done + ' of ' +
      labelable + ' pairs (T ' + tally.T + ' · P ' + tally.P + ' · D ' + tally.D + ')';
  }

  // --- export and import -------------------------------------------------------------
  function exported() {  // one row a pair, at its first row in the displayed order
    var seen = {};
    return ordered().filter(function (r) {
      if (!r.labelable || !labels[r.key] || seen[r.key]) { return false; }
      seen[r.key] = true;
      return true;
    }).map(function (r) {
      var row = {he: r.he, en: r.en, label: labels[r.key], doc: r.doc};
      if (r.image) { row.image = r.image; }
      row.score = r.score;
      return JSON.stringify(row);
    }).join('\n');
  }

  function download() {
    var text = exported();
    if (!text) { note('nothing labelled yet: label pairs with t, p, d (or the buttons) first'); return; }
    var blob = new Blob([text + '\n'], {type: 'application/x-ndjson'});
    var link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = data.download;
    document.body.appendChild(link);
    link.click();
    link.remove();
    note('exported ' + text.split('\n').length + ' labels as ' + data.download +
         ' (align calibrate ' + data.download + ' PAGES... -o cal.json)');
  }

  function importText(text) {
    var loaded = 0, missing = 0, bad = 0;
    text.split('\n').forEach(function (line) {
      if (!line.trim()) { return; }
      var row;
      try { row = JSON.parse(line); } catch (e) { bad += 1; return; }
      var label = row && typeof row.label === 'string' ? row.label.trim().toUpperCase().charAt(0) : '';
      if (!row || typeof row.he !== 'string' || typeof row.en !== 'string' || !NAMES[label]) {
        bad += 1; return;
      }
      var r = (byKey[keyOf(row)] || data.rows.filter(function (x) {
        return x.he === row.he && x.en === row.en;
      }))[0];
      if (r && r.labelable) { labels[r.key] = label; byKey[r.key].forEach(paint); loaded += 1; }
      else { missing += 1; }
    });
    save(); refresh();
    note('loaded ' + loaded + ' labels' + (missing ? '; ' + missing + ' are not rows of this report' : '') +
         (bad ? '; ' + bad + ' lines were not labels' : ''));
  }

  // --- sorting: a header's button, by mouse or keyboard (labels and the cursor go with the rows)
  function sortBy(th, col) {
    var asc = !th.classList.contains('sorted-asc');
    table.querySelectorAll('th').forEach(function (h) {
      h.classList.remove('sorted-asc', 'sorted-desc');
      if (h.dataset.type !== 'none') { h.setAttribute('aria-sort', 'none'); }
    });
    th.classList.add(asc ? 'sorted-asc' : 'sorted-desc');
    th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
    var numeric = th.dataset.type === 'number';
    order.forEach(function (r) {
      if (!r.sortKeys) { r.sortKeys = {}; }
      if (!(col in r.sortKeys)) {
        var v = r.tr.cells[col].dataset.value;
        r.sortKeys[col] = numeric ? parseFloat(v) : v;
      }
    });
    var collator = new Intl.Collator();
    order = order.slice().sort(function (a, b) {
      var x = a.sortKeys[col], y = b.sortKeys[col];
      var c = numeric ? x - y : collator.compare(x, y);
      return (asc ? c : -c) || a.tr.dataset.i - b.tr.dataset.i;  // stable, whatever the engine
    });
    if (!windowed) {  // every row is in the table: move them, in one re-insertion
      var frag = document.createDocumentFragment();
      order.forEach(function (r) { frag.appendChild(r.tr); });
      body.appendChild(frag);
    }
    refresh();
    if (current && current.shown) { reveal(current.tr); }
  }

  // --- wiring --------------------------------------------------------------------
  data.rows.forEach(function (r) { if (!windowed) { paint(r); } });
  table.addEventListener('click', function (event) {
    var button = event.target.closest('button.lab');
    var tr = event.target.closest('tbody tr');
    if (!tr || !tr.dataset.i) { return; }
    var r = data.rows[+tr.dataset.i];
    if (button) {
      setLabel(r, (labels[r.key] === button.dataset.label) ? '' : button.dataset.label);
    }
    if (r.labelable) { select(r); }
  });
  body.addEventListener('focusin', function (event) {  // Tab into a row (or its buttons): it is the cursor
    var tr = event.target.closest('tbody tr');
    if (!tr || !tr.dataset.i) { return; }
    var r = data.rows[+tr.dataset.i];
    if (r.labelable && r !== current) { select(r, false); }
  });
  ['search', 'filter-flag', 'filter-label', 'score-min', 'score-max'].forEach(function (id) {
    document.getElementById(id).addEventListener('input', refresh);
  });
  document.getElementById('search').addEventListener('search', refresh);  // its clear button, Escape
  document.getElementById('export').addEventListener('click', download);
  document.getElementById('import').addEventListener('change', function (event) {
    var file = event.target.files[0];
    if (!file) { return; }
    var reader = new FileReader();
    reader.onload = function () { importText(String(reader.result)); event.target.value = ''; };
    reader.readAsText(file);
  });
  document.addEventListener('keydown', function (event) {
    var inField = /^(INPUT|SELECT|TEXTAREA)$/.test(event.target.tagName);
    if (inField) {
      if (event.key === 'Escape' || event.key === 'Enter') {
        event.preventDefault();  // Escape in a search box would empty it, with no input event: keep the search
        event.target.blur();
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var key = event.key.toLowerCase();
    if (key === 'j' || event.key === 'ArrowDown') { step(1); }
    else if (key === 'k' || event.key === 'ArrowUp') { step(-1); }
    else if (key === 't' || key === 'p' || key === 'd') {
      if (!current) { step(1); }
      if (current) { setLabel(current, key.toUpperCase()); step(1); }
    } else if (key === 'x') { if (current) { setLabel(current, ''); } }
    else if (key === 'u') {
      var last = undo.pop();
      if (!last) { note('nothing to undo'); return; }
      var r = byKey[last[0]][0];
      setLabel(r, last[1], false);
      select(r);
    } else if (event.key === '/') { document.getElementById('search').focus(); }
    else if (key === 'e') { download(); }
    else { return; }
    event.preventDefault();
  });
  table.querySelectorAll('th').forEach(function (th, col) {
    if (th.dataset.type === 'none') { return; }
    th.addEventListener('click', function () { sortBy(th, col); });  // its button's click (Enter, Space) too
  });
  refresh();
  var restored = Object.keys(labels).filter(function (key) { return byKey[key]; }).length;
  if (restored) {
    note('restored ' + restored + ' label' + (restored > 1 ? 's' : '') + ' kept in this browser for this run ' +
         '(Export labels to keep them elsewhere; x clears one)');
  }
  var first = list.filter(function (r) { return r.labelable; })[0];
  if (first) { select(first, false); }
}());
