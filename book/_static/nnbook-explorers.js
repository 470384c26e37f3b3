/* The book's interactive explorers and draw-a-digit pad, in plain JavaScript.
 *
 * The HTML of each explorer (sliders, tables, empty SVGs) and its starting
 * numbers come from the executed chapter (nnbook.explorers, nnbook.pad). This
 * script draws the SVGs and redoes the arithmetic when a control moves. Each
 * explorer is a [data-explorer] element; the script looks up its parts inside
 * it ([data-role], [data-slider]), never by a page-wide id, so two explorers
 * can share a page. The arithmetic is
 * nnbook's, step for step: softmax subtracts the largest score
 * (nnbook.activations.softmax), the loss is minus the log-softmax of the true
 * class (nnbook.losses.sparse_cross_entropy), its gradient p - y
 * (sparse_cross_entropy_grad); the browser tests compare the numbers shown
 * with nnbook's. Nothing is fetched: the pad's weights are in the page.
 */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var MINUS = "\u2212";

  // ---------------------------------------------------------------- helpers

  function svgEl(tag, attrs, parent) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function text(parent, x, y, content, cls, anchor) {
    var t = svgEl("text", { x: x, y: y, "class": cls || "nnbook-svg-text",
                            "text-anchor": anchor || "middle" }, parent);
    t.textContent = content;
    return t;
  }

  function fmt(value, digits) {
    if (Number.isNaN(value)) return "NaN";
    var s = value.toFixed(digits);
    if (Number(s) === 0) s = s.replace("-", "");
    return s.replace("-", MINUS);
  }

  function show(node, value, digits) {
    node.textContent = fmt(value, digits);
    node.dataset.value = Number.isNaN(value) ? "NaN" : String(value);
  }

  function sum(values) {
    var total = 0;
    for (var i = 0; i < values.length; i++) total += values[i];
    return total;
  }

  function max(values) {
    var m = -Infinity;
    for (var i = 0; i < values.length; i++) if (values[i] > m || Number.isNaN(values[i])) m = values[i];
    return m;
  }

  // nnbook.activations.softmax: e^(z - max z) / sum
  function softmax(z) {
    var m = max(z);
    if (m === -Infinity) m = 0;
    var e = z.map(function (v) { return Math.exp(v - m); });
    var s = sum(e);
    return e.map(function (v) { return v / s; });
  }

  // nnbook.activations.log_softmax: s - log(sum(e^s)), s = z - max z
  function logSoftmax(z) {
    var m = max(z);
    if (m === -Infinity) m = 0;
    var s = z.map(function (v) { return v - m; });
    var l = Math.log(sum(s.map(Math.exp)));
    return s.map(function (v) { return v - l; });
  }

  function config(root) {
    return JSON.parse(root.dataset.config);
  }

  // The element of `root` with data-role="name" (all of them with `all`).
  function part(root, name, all) {
    var selector = '[data-role="' + name + '"]';
    return all ? root.querySelectorAll(selector) : root.querySelector(selector);
  }

  // The range input of `root` with data-slider="name", and the output that shows its value.
  function slider(root, name) {
    var box = root.querySelector('[data-slider="' + name + '"]');
    var input = box.querySelector("input"), out = box.querySelector("output");
    var digits = Number(input.step) >= 1 ? 0 : 1;
    function sync() { out.textContent = fmt(Number(input.value), digits); }
    return {
      box: box,
      input: input,
      get: function () { return Number(input.value); },
      set: function (v) { input.value = String(v); sync(); },
      sync: sync
    };
  }

  // Moving a slider shows its new value, then redraws.
  function wire(sliders, update) {
    sliders.forEach(function (s) {
      s.input.addEventListener("input", function () { s.sync(); update(); });
    });
  }

  // Ids that stay unique on the page (an SVG clip path is referenced by id).
  var nextId = 0;
  function uniqueId(stem) {
    nextId += 1;
    return "nnbook-" + stem + "-" + nextId;
  }

  // A bar chart in `g` of `width` x `height` user units. values: numbers (NaN: no bar, "NaN" label).
  function bars(g, values, opts) {
    var n = values.length, lo = opts.min, hi = opts.max;
    var w = opts.width, h = opts.height, left = 30, bottom = 18, top = 14;
    var plotH = h - bottom - top, slot = (w - left) / n;
    var y = function (v) { return top + plotH * (hi - v) / (hi - lo); };
    // axis and ticks
    (opts.ticks || [lo, hi]).forEach(function (t) {
      svgEl("line", { x1: left, x2: w, y1: y(t), y2: y(t),
                      "class": t === 0 ? "nnbook-axis" : "nnbook-grid" }, g);
      text(g, left - 4, y(t) + 4, fmt(t, opts.tickDigits || 1), "nnbook-svg-small", "end");
    });
    values.forEach(function (v, k) {
      var x = left + k * slot + slot * 0.15, bw = slot * 0.7;
      var cls = "nnbook-bar" + (opts.barClass ? " " + opts.barClass(k, v) : "");
      if (!Number.isNaN(v)) {
        var clipped = Math.max(lo, Math.min(hi, v));
        var y0 = y(Math.max(lo, Math.min(hi, 0))), y1 = y(clipped);
        svgEl("rect", { x: x, width: bw, y: Math.min(y0, y1),
                        height: Math.max(Math.abs(y1 - y0), 0.5), "class": cls }, g);
      }
      if (opts.valueLabels && !(Math.abs(v) < (opts.minLabel || 0))) {
        var ly = Number.isNaN(v) ? y(lo + (hi - lo) / 2)
          : (v >= 0 ? y(Math.min(v, hi)) - 3 : y(Math.max(v, lo)) + 11);
        text(g, x + bw / 2, ly, Number.isNaN(v) ? "NaN" : fmt(v, opts.valueDigits || 2),
             Number.isNaN(v) ? "nnbook-svg-small nnbook-nan" : "nnbook-svg-small");
      }
      text(g, x + bw / 2, h - 4, opts.labels ? opts.labels[k] : String(k), "nnbook-svg-text");
    });
  }

  // --------------------------------------------------------- the ReLU explorer

  function reluExplorer(root) {
    var cfg = config(root), U = cfg.start.w.length, x = cfg.x, target = cfg.target;
    var sliders = { w: [], b: [], v: [] };
    ["w", "b", "v"].forEach(function (name) {
      for (var j = 0; j < U; j++) sliders[name].push(slider(root, name + j));
    });
    var panels = Array.from(part(root, "panel", true));
    var clipIds = panels.map(function () { return uniqueId("clip"); });
    var mseOut = part(root, "mse");
    var xmin = Math.min.apply(null, x), xmax = Math.max.apply(null, x), ymin = -2, ymax = 5;
    var W = 320, H = 210, L = 30, R = 8, T = 24, B = 24;
    var px = function (v) { return L + (W - L - R) * (v - xmin) / (xmax - xmin); };
    var py = function (v) { return T + (H - T - B) * (ymax - v) / (ymax - ymin); };

    function values(name) { return sliders[name].map(function (s) { return s.get(); }); }

    function frame(svg, j, title) {
      clear(svg);
      var clipId = clipIds[j];
      var defs = svgEl("defs", {}, svg);
      svgEl("rect", { x: L, y: T, width: W - L - R, height: H - T - B },
            svgEl("clipPath", { id: clipId }, defs));
      for (var t = ymin; t <= ymax; t++) {
        svgEl("line", { x1: L, x2: W - R, y1: py(t), y2: py(t),
                        "class": t === 0 ? "nnbook-axis" : "nnbook-grid" }, svg);
        if (t % 2 === 0) text(svg, L - 4, py(t) + 4, fmt(t, 0), "nnbook-svg-small", "end");
      }
      for (var s = Math.ceil(xmin); s <= xmax; s++) {
        svgEl("line", { x1: px(s), x2: px(s), y1: T, y2: H - B, "class": "nnbook-grid" }, svg);
        text(svg, px(s), H - 8, fmt(s, 0), "nnbook-svg-small");
      }
      text(svg, L, 15, title, "nnbook-svg-text", "start");
      return svgEl("g", { "clip-path": "url(#" + clipId + ")" }, svg);
    }

    function line(g, ys, cls) {
      var pts = x.map(function (xi, i) { return px(xi).toFixed(2) + "," + py(ys[i]).toFixed(2); });
      svgEl("polyline", { points: pts.join(" "), "class": cls }, g);
    }

    function signed(v) { return fmt(v, 1); }

    function update() {
      var w = values("w"), b = values("b"), v = values("v");
      var total = x.map(function () { return 0; });
      for (var j = 0; j < U; j++) {
        var z = x.map(function (xi) { return w[j] * xi + b[j]; });
        var out = z.map(function (zi) { return v[j] * Math.max(zi, 0); });
        // the sum, as relu_units.relu_sum: unit outputs @ v
        out.forEach(function (o, i) { total[i] += o; });
        var title = "unit " + j + ": " + signed(v[j]) + " \u00d7 relu(" + signed(w[j]) + "x " +
                    (b[j] < 0 ? MINUS + " " + fmt(-b[j], 1) : "+ " + fmt(b[j], 1)) + ")";
        var g = frame(panels[j], j, title);
        // shade where the unit is off (z <= 0), as runs of grid points
        var i = 0;
        while (i < x.length) {
          if (z[i] <= 0) {
            var start = i;
            while (i < x.length && z[i] <= 0) i++;
            var x0 = i - start === x.length ? xmin : x[start], x1 = x[i - 1];
            svgEl("rect", { x: px(x0), y: T, width: Math.max(px(x1) - px(x0), 1.5),
                            height: H - T - B, "class": "nnbook-off" }, g);
          } else { i++; }
        }
        line(g, out, "nnbook-line nnbook-line-" + (j % 4));
      }
      var g2 = frame(panels[U], U, "the sum and the target (dashed)");
      line(g2, target, "nnbook-target");
      line(g2, total, "nnbook-line nnbook-line-sum");
      var sq = 0;
      for (var i2 = 0; i2 < x.length; i2++) { var d = total[i2] - target[i2]; sq += d * d; }
      show(mseOut, sq / x.length, 4);
    }

    function setAll(values) {
      ["w", "b", "v"].forEach(function (name) {
        sliders[name].forEach(function (s, j) { s.set(values[name][j]); });
      });
      update();
    }

    wire(sliders.w.concat(sliders.b, sliders.v), update);
    var solution = part(root, "solution");
    if (solution && cfg.solution) {
      solution.addEventListener("click", function () { setAll(cfg.solution); });
    }
    part(root, "reset").addEventListener("click", function () { setAll(cfg.start); });
    update();
  }

  // ------------------------------------------------------ the softmax explorer

  function softmaxExplorer(root) {
    var cfg = config(root);
    var K = slider(root, "K"), T = slider(root, "T");
    var zs = [];
    for (var k = 0; k < 10; k++) zs.push(slider(root, "z" + k));
    var shift = part(root, "shift");
    var rows = part(root, "table").querySelectorAll("tbody tr");
    var svg = part(root, "bars");
    var note = part(root, "note");

    function update() {
      var n = K.get(), t = T.get(), add = shift.checked ? cfg.shift : 0;
      var z = [];
      for (var k = 0; k < 10; k++) {
        zs[k].box.hidden = k >= n;
        rows[k].hidden = k >= n;
        if (k < n) z.push(zs[k].get() + add);
      }
      var s = z.map(function (v) { return v / t; });
      var p = softmax(s);
      var e = s.map(Math.exp);
      var total = sum(e);
      var naive = e.map(function (v) { return v / total; });
      for (var j = 0; j < n; j++) {
        var cells = rows[j].querySelectorAll("td");
        cells[0].textContent = fmt(z[j], 2);
        show(cells[1], naive[j], 4);
        show(cells[2], p[j], 4);
      }
      var top = max(s);
      note.textContent = "Largest exponent of the naive formula: " + fmt(top, 2) + ". " +
        (top > Math.log(Number.MAX_VALUE)
          ? "e to that power is beyond float64's largest number (the exponent limit is 709.78), " +
            "so it overflows to infinity, and infinity / infinity is NaN. " +
            "The stable formula subtracts the largest score first."
          : "Below float64's limit of 709.78: both formulas give the same probabilities.");
      clear(svg);
      var g = svgEl("g", {}, svg);
      var both = [];
      for (var i = 0; i < n; i++) { both.push(p[i]); }
      bars(g, both, { min: 0, max: 1, width: 360, height: 172, ticks: [0, 0.5, 1],
                      valueLabels: true, valueDigits: 2 });
      var naiveNaN = naive.some(Number.isNaN);
      text(svg, 360, 186, naiveNaN ? "naive formula: NaN for every class" : "the naive formula agrees",
           naiveNaN ? "nnbook-svg-small nnbook-nan" : "nnbook-svg-small", "end");
    }

    wire([K, T].concat(zs), update);
    shift.addEventListener("change", update);
    update();
  }

  // ------------------------------------------------ the cross-entropy explorer

  function crossEntropyExplorer(root) {
    var cfg = config(root), K = cfg.z.length;
    var zs = [];
    for (var k = 0; k < K; k++) zs.push(slider(root, "z" + k));
    var label = part(root, "label");
    var lossOut = part(root, "loss");
    var rows = part(root, "table").querySelectorAll("tbody tr");
    var svg = part(root, "bars");

    function update() {
      var z = zs.map(function (s) { return s.get(); });
      var y = Number(label.value);
      var loss = Math.max(-logSoftmax(z)[y], 0);
      var p = softmax(z);
      var grad = p.slice();
      grad[y] -= 1;
      show(lossOut, loss, 4);
      for (var j = 0; j < K; j++) {
        var cells = rows[j].querySelectorAll("td");
        cells[0].textContent = fmt(z[j], 2);
        show(cells[1], p[j], 4);
        show(cells[2], grad[j], 4);
        rows[j].classList.toggle("nnbook-true-class", j === y);
      }
      clear(svg);
      var mark = function (j) { return j === y ? "nnbook-bar-true" : ""; };
      var labels = z.map(function (_, j) { return j === y ? j + " (y)" : String(j); });
      text(svg, 0, 12, "probabilities p", "nnbook-svg-text", "start");
      bars(svgEl("g", { transform: "translate(0, 8)" }, svg), p,
           { min: 0, max: 1, width: 360, height: 140, ticks: [0, 1], valueLabels: true,
             barClass: mark, labels: labels });
      text(svg, 0, 172, "gradient p \u2212 y", "nnbook-svg-text", "start");
      bars(svgEl("g", { transform: "translate(0, 168)" }, svg), grad,
           { min: -1, max: 1, width: 360, height: 160, ticks: [-1, 0, 1], valueLabels: true,
             barClass: function (j) { return "nnbook-bar-grad " + mark(j); }, labels: labels });
    }

    wire(zs, update);
    label.addEventListener("change", update);
    update();
  }

  // ------------------------------------------------------ the draw-a-digit pad

  function decode(b64, n) {
    var bytes = atob(b64), view = new DataView(new ArrayBuffer(bytes.length));
    for (var i = 0; i < bytes.length; i++) view.setUint8(i, bytes.charCodeAt(i));
    var out = new Float64Array(n);
    for (var j = 0; j < n; j++) out[j] = view.getFloat32(4 * j, true);
    return out;
  }

  function network(model) {
    var layers = model.layers.map(function (l) {
      var nIn = l.shape[0], nOut = l.shape[1];
      return { nIn: nIn, nOut: nOut, relu: l.activation === "relu",
               W: decode(l.W, nIn * nOut), b: decode(l.b, nOut) };
    });
    // The forward pass of nnbook.models.numpy_forward, then softmax: 10 probabilities.
    return function predict(pixels) {
      if (!pixels || pixels.length !== layers[0].nIn) {
        throw new TypeError("predict needs " + layers[0].nIn + " pixel values, got " +
                            (pixels ? pixels.length : pixels));
      }
      var a = Float64Array.from(pixels);
      layers.forEach(function (l) {
        var out = new Float64Array(l.nOut);
        for (var j = 0; j < l.nOut; j++) out[j] = 0;
        for (var i = 0; i < l.nIn; i++) {
          var ai = a[i];
          if (ai === 0) continue;
          var row = i * l.nOut;
          for (var k = 0; k < l.nOut; k++) out[k] += ai * l.W[row + k];
        }
        for (var m = 0; m < l.nOut; m++) {
          out[m] += l.b[m];
          if (l.relu && out[m] < 0) out[m] = 0;
        }
        a = out;
      });
      return softmax(Array.from(a));
    };
  }

  // nnbook.pad._area_weights: output i averages the input over [i, i+1) * nIn / nOut
  function areaWeights(nIn, nOut) {
    var ratio = nIn / nOut, rows = [];
    for (var i = 0; i < nOut; i++) {
      var lo = i * ratio, hi = (i + 1) * ratio, row = [];
      for (var k = Math.floor(lo); k < Math.min(nIn, Math.ceil(hi)); k++) {
        var overlap = Math.min(hi, k + 1) - Math.max(lo, k);
        if (overlap > 0) row.push([k, overlap / ratio]);
      }
      rows.push(row);
    }
    return rows;
  }

  // nnbook.pad.area_resize on the (r0..r0+h, c0..c0+w) part of a width-`stride` image
  function areaResize(img, stride, r0, c0, h, w, outH, outW) {
    var rw = areaWeights(h, outH), cw = areaWeights(w, outW);
    var tmp = new Float64Array(outH * w);      // rows first
    for (var i = 0; i < outH; i++) {
      for (var c = 0; c < w; c++) {
        var s = 0;
        rw[i].forEach(function (p) { s += p[1] * img[(r0 + p[0]) * stride + c0 + c]; });
        tmp[i * w + c] = s;
      }
    }
    var out = new Float64Array(outH * outW);
    for (var i2 = 0; i2 < outH; i2++) {
      for (var j = 0; j < outW; j++) {
        var t = 0;
        cw[j].forEach(function (p) { t += p[1] * tmp[i2 * w + p[0]]; });
        out[i2 * outW + j] = t;
      }
    }
    return out;
  }

  // nnbook.pad.mnist_preprocess: crop, fit in box x box, centre of mass at (centre, centre)
  function preprocess(ink, height, width, centre, box, target) {
    var out = new Float64Array(784), i, j;
    var r0 = height, r1 = -1, c0 = width, c1 = -1;
    for (i = 0; i < height; i++) {
      for (j = 0; j < width; j++) {
        if (ink[i * width + j] > 0) {
          if (i < r0) r0 = i;
          if (i > r1) r1 = i;
          if (j < c0) c0 = j;
          if (j > c1) c1 = j;
        }
      }
    }
    if (r1 < 0) return out;
    var small, sh, sw, peak;
    if (!centre) {
      small = areaResize(ink, width, 0, 0, height, width, 28, 28);
      peak = max(small);
      for (i = 0; i < 784; i++) out[i] = small[i] / peak;
      return out;
    }
    var h = r1 - r0 + 1, w = c1 - c0 + 1, scale = box / Math.max(h, w);
    sh = Math.max(1, Math.floor(h * scale + 0.5));
    sw = Math.max(1, Math.floor(w * scale + 0.5));
    small = areaResize(ink, width, r0, c0, h, w, sh, sw);
    peak = max(small);
    var mass = 0, my = 0, mx = 0;
    for (i = 0; i < sh * sw; i++) small[i] /= peak;
    var rowSums = new Float64Array(sh), colSums = new Float64Array(sw);
    for (i = 0; i < sh; i++) {
      for (j = 0; j < sw; j++) { rowSums[i] += small[i * sw + j]; colSums[j] += small[i * sw + j]; }
    }
    for (i = 0; i < sh; i++) { mass += rowSums[i]; my += rowSums[i] * i; }
    for (j = 0; j < sw; j++) mx += colSums[j] * j;
    var top = Math.floor(target - my / mass + 0.5), left = Math.floor(target - mx / mass + 0.5);
    for (i = 0; i < sh; i++) {
      for (j = 0; j < sw; j++) {
        var r = top + i, c = left + j;
        if (r >= 0 && r < 28 && c >= 0 && c < 28) out[r * 28 + c] = small[i * sw + j];
      }
    }
    return out;
  }

  function digitPad(root) {
    var data = JSON.parse(part(root, "data").textContent);
    var predict = network(data.model);
    var pad = part(root, "pad");
    var seen = part(root, "input");
    var ctx = pad.getContext("2d", { willReadFrequently: true });
    var seenCtx = seen.getContext("2d");
    var prediction = part(root, "prediction");
    var svg = part(root, "bars");
    var list = part(root, "probabilities").querySelectorAll("li");
    var centre = part(root, "centre");
    var exampleButton = part(root, "example");
    var size = data.size, strokes = [], current = null, backdrop = null, pending = false;
    var nextExample = 0;

    function inkColour() {
      return getComputedStyle(root).getPropertyValue("color") || "#000";
    }

    // An ImageData of width x height in the ink's colour; pixel i's opacity is opacity(i) in [0, 1].
    function inkImage(c, width, height, opacity) {
      var img = c.createImageData(width, height);
      var colour = (inkColour().match(/\d+(\.\d+)?/g) || [0, 0, 0]).map(Number);
      for (var i = 0; i < width * height; i++) {
        img.data[4 * i] = colour[0];
        img.data[4 * i + 1] = colour[1];
        img.data[4 * i + 2] = colour[2];
        img.data[4 * i + 3] = Math.round(255 * opacity(i));
      }
      return img;
    }

    function render() {
      ctx.clearRect(0, 0, size, size);
      if (backdrop) ctx.putImageData(backdrop, 0, 0);
      ctx.strokeStyle = ctx.fillStyle = inkColour();
      ctx.lineWidth = size / 14;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      strokes.forEach(function (pts) {
        ctx.beginPath();
        if (pts.length === 1) {
          ctx.arc(pts[0][0], pts[0][1], ctx.lineWidth / 2, 0, 2 * Math.PI);
          ctx.fill();
          return;
        }
        ctx.moveTo(pts[0][0], pts[0][1]);
        for (var i = 1; i < pts.length; i++) ctx.lineTo(pts[i][0], pts[i][1]);
        ctx.stroke();
      });
    }

    // The drawing's ink in [0, 1] (its opacity), row-major, size x size.
    function readInk() {
      var rgba = ctx.getImageData(0, 0, size, size).data, ink = new Float64Array(size * size);
      for (var i = 0; i < ink.length; i++) ink[i] = rgba[4 * i + 3] / 255;
      return ink;
    }

    function showInput(pixels) {
      seenCtx.putImageData(inkImage(seenCtx, 28, 28, function (i) { return pixels[i]; }), 0, 0);
    }

    function showProbabilities(p) {
      clear(svg);
      var best = p ? p.indexOf(max(p)) : -1;
      bars(svgEl("g", {}, svg), p || [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
           { min: 0, max: 1, width: 360, height: 186, ticks: [0, 0.5, 1], valueLabels: !!p, minLabel: 0.005,
             barClass: function (k) { return k === best ? "nnbook-bar-true" : ""; } });
      list.forEach(function (li, k) {
        li.textContent = "digit " + k + ": " + (p ? (100 * p[k]).toFixed(1) + " %" : "no drawing");
      });
      prediction.textContent = p ? String(best) : "";
    }

    function update() {
      pending = false;
      var ink = readInk();
      var pixels = preprocess(ink, size, size, centre.checked, data.box, data.centre);
      var empty = !pixels.some(function (v) { return v > 0; });
      showInput(pixels);
      showProbabilities(empty ? null : predict(pixels));
    }

    function schedule() {
      if (!pending) { pending = true; window.requestAnimationFrame(update); }
    }

    function point(event) {
      var box = pad.getBoundingClientRect();
      return [(event.clientX - box.left) * size / box.width, (event.clientY - box.top) * size / box.height];
    }

    pad.addEventListener("pointerdown", function (event) {
      if (event.pointerType === "mouse" && event.button !== 0) return;
      event.preventDefault();
      if (pad.setPointerCapture) {
        try { pad.setPointerCapture(event.pointerId); } catch (e) { /* a synthetic event */ }
      }
      current = [point(event)];
      strokes.push(current);
      render();
      schedule();
    });
    pad.addEventListener("pointermove", function (event) {
      if (!current) return;
      event.preventDefault();
      var events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
      (events.length ? events : [event]).forEach(function (e) { current.push(point(e)); });
      render();
      schedule();
    });
    function end() {
      if (!current) return;
      current = null;
      update();
    }
    pad.addEventListener("pointerup", end);
    pad.addEventListener("pointercancel", end);
    pad.addEventListener("lostpointercapture", end);

    function reset() {
      strokes = [];
      current = null;
      backdrop = null;
      render();
      update();
    }
    part(root, "clear").addEventListener("click", reset);
    centre.addEventListener("change", update);

    if (exampleButton && data.examples) {
      exampleButton.addEventListener("click", function () {
        var x = data.examples.X[nextExample % data.examples.X.length];
        nextExample += 1;
        strokes = [];
        var scale = size / 28;
        backdrop = inkImage(ctx, size, size, function (i) {
          var r = Math.floor(i / size), c = i % size;
          return x[Math.floor(r / scale) * 28 + Math.floor(c / scale)];
        });
        render();
        update();
      });
    }

    // The theme's light/dark switch changes the ink colour: draw again.
    new MutationObserver(function () { render(); update(); })
      .observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });

    window.nnbookDigit = {
      predict: predict,
      preprocess: function (ink, height, width, centred) {
        return Array.from(preprocess(ink, height, width, centred !== false, data.box, data.centre));
      },
      ink: function () { return Array.from(readInk()); },
      size: size
    };
    render();
    update();
  }

  // ------------------------------------------------------------------ start

  function start() {
    var kinds = { "relu": reluExplorer, "softmax": softmaxExplorer,
                  "cross-entropy": crossEntropyExplorer, "digit-pad": digitPad };
    document.querySelectorAll("[data-explorer]").forEach(function (root) {
      var make = kinds[root.dataset.explorer];
      if (make) make(root);
    });
    document.querySelectorAll(".nnbook-static-note").forEach(function (note) { note.hidden = true; });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
