// The review page of an align report: sort, search, filter, and label each pair as
// Translation / Partial / Different with the keyboard or the mouse. Decisions are kept
// in the browser (localStorage, keyed by the run's signature) and exported as JSONL,
// one row a pair, for `align calibrate`. No network; page text is only ever set with
// textContent, so a caption holding markup stays text.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('review-data').textContent);
  var table = document.getElementById('pairs');
  var toolbar = document.querySelector('.toolbar');
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  rows.forEach(function (tr) { tr.tabIndex = -1; tr.setAttribute('aria-selected', 'false'); });
  var byKey = {};   // key -> every row of that pair (one caption pair on two images is two rows)
  data.rows.forEach(function (r, i) {
    r.key = keyOf(r); r.tr = rows[i];
    (byKey[r.key] = byKey[r.key] || []).push(r);
  });
  var store = data.store;
  var labels = load();
  var undo = [];
  var current = null;
  var NAMES = {T: 'translation', P: 'partial', D: 'different'};

  function keyOf(row) {  // a pair is known by its page and its two texts: one label wherever it shows
    return JSON.stringify([row.doc || '', row.he, row.en]);
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
    r.tr.dataset.label = label;
    r.tr.querySelectorAll('button.lab').forEach(function (b) {
      b.setAttribute('aria-pressed', b.dataset.label === label ? 'true' : 'false');
    });
  }

  function setLabel(r, label, record) {
    if (!r || !r.labelable) { return; }
    if (record !== false) { undo.push([r.key, labels[r.key] || '']); }
    if (label) { labels[r.key] = label; } else { delete labels[r.key]; }
    byKey[r.key].forEach(paint); save(); refresh();
  }

  function visible(r) { return r.labelable && !r.tr.hidden; }
  function ordered() {  // rows in their displayed order (sorting moves them)
    return Array.prototype.map.call(body.rows, function (tr) { return data.rows[+tr.dataset.i]; });
  }
  // The cursor is the focused row: one tab stop (roving tabindex), aria-selected, and
  // kept in view below the sticky toolbar.
  function select(r, focus) {
    if (current) {
      current.tr.classList.remove('current');
      current.tr.tabIndex = -1;
      current.tr.setAttribute('aria-selected', 'false');
    }
    current = r || null;
    if (!current) { return; }
    var tr = current.tr;
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
  }
  function step(delta) {
    var list = ordered().filter(visible);
    if (!list.length) { select(null); return; }
    var at = current ? list.indexOf(current) : -1;
    if (at < 0) { select(delta > 0 ? list[0] : list[list.length - 1]); return; }
    select(list[Math.min(list.length - 1, Math.max(0, at + delta))]);
  }

  function matches(r) {
    var q = document.getElementById('search').value.trim().toLowerCase();
    if (q && (r.he + '\n' + r.en + '\n' + (r.doc || '')).toLowerCase().indexOf(q) < 0) { return false; }
    var flag = document.getElementById('filter-flag').value;
    if (flag && r.flags.indexOf(flag) < 0) { return false; }
    var want = document.getElementById('filter-label').value;
    var label = labels[r.key] || '';
    if (want === 'none' ? label !== '' : (want && label !== want)) { return false; }
    var low = parseFloat(document.getElementById('score-min').value);
    var high = parseFloat(document.getElementById('score-max').value);
    if ((!isNaN(low) || !isNaN(high)) && r.score === null) { return false; }
    if (!isNaN(low) && r.score < low) { return false; }
    if (!isNaN(high) && r.score > high) { return false; }
    return true;
  }

  function refresh() {  // pairs are counted once however many rows show them
    var shown = 0, counts = {T: 0, P: 0, D: 0}, labelable = 0, seen = {};
    data.rows.forEach(function (r) {
      r.tr.hidden = !matches(r);
      if (!r.tr.hidden) { shown += 1; }
      if (!r.labelable || seen[r.key]) { return; }
      seen[r.key] = true;
      labelable += 1;
      var label = labels[r.key];
      if (label) { counts[label] += 1; }
    });
    var done = counts.T + counts.P + counts.D;
    document.getElementById('counts').textContent =
      'showing ' + shown + ' of ' + data.rows.length + ' rows · labelled ' + done + ' of ' +
      labelable + ' pairs (T ' + counts.T + ' · P ' + counts.P + ' · D ' + counts.D + ')';
    if (current && current.tr.hidden) { select(null); }
  }

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

  // --- wiring --------------------------------------------------------------------
  data.rows.forEach(paint);
  table.addEventListener('click', function (event) {
    var button = event.target.closest('button.lab');
    var tr = event.target.closest('tbody tr');
    if (!tr) { return; }
    var r = data.rows[+tr.dataset.i];
    if (button) {
      setLabel(r, (labels[r.key] === button.dataset.label) ? '' : button.dataset.label);
    }
    if (r.labelable) { select(r); }
  });
  body.addEventListener('focusin', function (event) {  // Tab into a row (or its buttons): it is the cursor
    var tr = event.target.closest('tbody tr');
    if (!tr) { return; }
    var r = data.rows[+tr.dataset.i];
    if (r.labelable && r !== current) { select(r, false); }
  });
  ['search', 'filter-flag', 'filter-label', 'score-min', 'score-max'].forEach(function (id) {
    document.getElementById(id).addEventListener('input', refresh);
  });
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
      if (event.key === 'Escape' || event.key === 'Enter') { event.target.blur(); }
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

  // sorting: a header's button, by mouse or keyboard (rows move; labels and the cursor go with them)
  table.querySelectorAll('th').forEach(function (th, col) {
    if (th.dataset.type === 'none') { return; }
    th.querySelector('button').addEventListener('click', function () {
      var asc = !th.classList.contains('sorted-asc');
      table.querySelectorAll('th').forEach(function (h) {
        h.classList.remove('sorted-asc', 'sorted-desc');
        if (h.dataset.type !== 'none') { h.setAttribute('aria-sort', 'none'); }
      });
      th.classList.add(asc ? 'sorted-asc' : 'sorted-desc');
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      var numeric = th.dataset.type === 'number';
      var keyed = Array.prototype.map.call(body.rows, function (tr) {
        var v = tr.cells[col].dataset.value;
        return [numeric ? parseFloat(v) : v, tr];
      });
      keyed.sort(function (a, b) {
        var c = numeric ? a[0] - b[0] : a[0].localeCompare(b[0]);
        return asc ? c : -c;
      });
      var frag = document.createDocumentFragment();   // one re-insertion, one layout
      keyed.forEach(function (k) { frag.appendChild(k[1]); });
      body.appendChild(frag);
    });
  });
  refresh();
  var restored = Object.keys(labels).filter(function (key) { return byKey[key]; }).length;
  if (restored) {
    note('restored ' + restored + ' label' + (restored > 1 ? 's' : '') + ' kept in this browser for this run ' +
         '(Export labels to keep them elsewhere; x clears one)');
  }
  var first = ordered().filter(visible)[0];
  if (first) { select(first, false); }
}());
