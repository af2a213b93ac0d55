/* The dashboard's charts, drawn with the vendored Apache ECharts (/static/vendor/): the map
   (targets achieved or on track, or a stored index), a region's indicator series with target
   trajectories and its index pillars against a benchmark, an index run's rank intervals.
   Every word shown comes from the page's message catalogue (#chart-text); data from /api/v1. */
(function () {
  "use strict";
  var textNode = document.getElementById("chart-text");
  if (!textNode || typeof echarts === "undefined") { return; }
  var T = JSON.parse(textNode.textContent);
  var lang = document.documentElement.lang === "en" ? "en" : "zh";
  var charts = [];

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_m, k) {
      return values[k] === undefined ? "" : String(values[k]);
    });
  }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }
  function number(v) {
    return v === null || v === undefined ? "" : Number(v).toLocaleString(lang === "zh" ? "zh-CN" : "en");
  }
  function failed(el) {
    el.classList.add("chart-failed");
    el.textContent = T.chart_failed;
  }
  /* data-state: "loading", then "drawing" once the option is set, "ready" when ECharts says
     the drawing (and its animation) is finished. */
  function make(el) {
    var chart = echarts.init(el, null, {renderer: "canvas"});
    chart.on("finished", function () {
      if (el.dataset.state === "drawing") { el.dataset.state = "ready"; }
    });
    charts.push(chart);
    return chart;
  }
  function download(name, href) {
    var a = document.createElement("a");
    a.download = name;
    a.href = href;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  /* The toolbox: ECharts' own "save as image" for PNG, and SVG through a second, SVG-rendered
     instance of the same option (the canvas renderer cannot write SVG itself). */
  function toolbox(name, getChart) {
    return {
      right: 4, top: 0, itemSize: 14,
      feature: {
        saveAsImage: {type: "png", name: name, title: T.chart_save_png, pixelRatio: 2},
        mySaveSvg: {
          show: true, title: T.chart_save_svg,
          icon: "path://M4 2h11l5 5v15H4z M15 2v5h5 M7 14l2 4 2-4 M13 14h3v4h-3 M17 12h2",
          onclick: function () {
            var chart = getChart();
            var box = document.createElement("div");
            var svg = echarts.init(box, null, {renderer: "svg", ssr: true,
              width: chart.getWidth(), height: chart.getHeight()});
            var option = chart.getOption();
            option.animation = false;
            option.toolbox = [{show: false}];
            svg.setOption(option);
            var blob = new Blob([svg.renderToSVGString()], {type: "image/svg+xml"});
            svg.dispose();
            var url = URL.createObjectURL(blob);
            download(name + ".svg", url);
            setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
          }
        }
      }
    };
  }

  /* --- the map ------------------------------------------------------------------------ */
  var loadedMaps = {};
  /* Colour by share of targets on track, or (data-index-run) by a stored index's score. */
  function mapStyle(data, run, names) {
    if (!run) {
      return {
        title: T.chart_map_title,
        items: data.items.map(function (it) {
          return {name: it.code, value: it.share === null ? NaN : Math.round(it.share * 1000) / 10,
                  item: it};
        }),
        visualMap: {min: 0, max: 100, text: ["100%", "0%"]},
        tooltip: function (it) {
          var share = it.share === null ? T.chart_not_assessed : Math.round(it.share * 100) + "%";
          return esc(T.col_on_track_share) + ": " + esc(share) + "<br>" +
            esc(fill(T.chart_map_counts, it));
        },
        target: function (it, code) { return code; }
      };
    }
    var scores = data.items.map(function (it) { return it.score; })
      .filter(function (v) { return v !== null; });
    var lo = scores.length ? Math.min.apply(null, scores) : 0;
    var hi = scores.length ? Math.max.apply(null, scores) : 1;
    if (hi === lo) { hi = lo + 1; }
    return {
      title: fill(T.chart_map_index_title, {index: data.index_name}),
      items: data.items.map(function (it) {
        return {name: it.code, value: it.score === null ? NaN : it.score, item: it};
      }),
      visualMap: {min: lo, max: hi, text: [hi.toFixed(1), lo.toFixed(1)]},
      tooltip: function (it, code) {
        var text = esc(T.col_score) + ": " + esc(it.score === null ? "–" : it.score.toFixed(2)) +
          (it.rank ? " (" + esc(T.col_rank) + " " + esc(it.rank) + "/" + esc(data.units) + ")" : "");
        if (it.unit !== code) { text += "<br>" + esc(fill(T.chart_map_via, {unit: it.unit_name})); }
        return text;
      },
      target: function (it) { return it.unit; }
    };
  }

  function drawMap(el, chart, level) {
    el.dataset.state = "loading";
    var run = el.dataset.indexRun;
    var url = run ? "/api/v1/map/index?run=" + encodeURIComponent(run) + "&level=" + level :
      "/api/v1/map/progress?level=" + level;
    fetch(url).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    }).then(function (data) {
      /* Both levels are registered as "china": ECharts adds the South China Sea inset
         (南海诸岛) only to a map of that name. */
      var mapName = "china";
      var ready = loadedMaps[level] ? Promise.resolve() :
        fetch(data.map).then(function (r) { return r.json(); }).then(function (geo) {
          loadedMaps[level] = geo;
        });
      return ready.then(function () {
        echarts.registerMap(mapName, loadedMaps[level]);
        var names = {};
        loadedMaps[level].features.forEach(function (f) {
          names[f.id] = lang === "en" ? f.properties.name_en : f.properties.name_zh;
        });
        var style = mapStyle(data, run, names);
        el.dataset.level = String(level);
        el.dataset.state = "drawing";
        chart.setOption({
          title: {text: style.title, left: 0, top: 0,
                  textStyle: {fontSize: 14, fontWeight: 600}},
          tooltip: {
            trigger: "item",
            formatter: function (p) {
              var label = "<b>" + esc(names[p.name] || p.name) + "</b>";
              var it = p.data && p.data.item;
              if (!it) { return label + (run ? "" : "<br>" + esc(T.chart_no_targets)); }
              return label + "<br>" + style.tooltip(it, p.name);
            }
          },
          toolbox: toolbox((run ? "index-" + run : "targets") +
                           (level === 1 ? "-by-province" : "-by-city"),
                           function () { return chart; }),
          visualMap: {
            type: "continuous", min: style.visualMap.min, max: style.visualMap.max,
            left: 0, bottom: 0, calculable: false,
            itemHeight: 90, itemWidth: 10, text: style.visualMap.text, textStyle: {fontSize: 11},
            inRange: {color: ["#f6cdcd", "#fbeec1", "#9ed5b0", "#2e8b57"]},
            outOfRange: {color: "#d9dee5"}
          },
          series: [{
            type: "map", map: mapName, nameProperty: "code", roam: false,
            layoutCenter: ["50%", "55%"], layoutSize: "100%", selectedMode: false,
            itemStyle: {areaColor: "#eef1f5", borderColor: "#9aa6b4", borderWidth: level === 1 ? 0.6 : 0.3},
            emphasis: {label: {show: false}, itemStyle: {areaColor: "#cfe6ff"}},
            data: style.items
          }]
        }, true);
        chart.off("click");
        chart.on("click", function (p) {
          if (p.data && p.data.item) {
            window.location.href = "/regions/" + encodeURIComponent(style.target(p.data.item, p.name));
          }
        });
      });
    }).catch(function () { failed(el); });
  }

  function setupMap(el) {
    var chart = make(el);
    var buttons = document.querySelectorAll("[data-map-level]");
    buttons.forEach(function (b) {
      b.addEventListener("click", function () {
        buttons.forEach(function (o) { o.setAttribute("aria-pressed", o === b ? "true" : "false"); });
        drawMap(el, chart, Number(b.dataset.mapLevel));
      });
    });
    drawMap(el, chart, 1);
  }

  /* --- a region's series -------------------------------------------------------------- */
  function seriesOption(ind) {
    var name = lang === "en" ? ind.name_en : ind.name_zh;
    var observed = ind.observations.map(function (o) { return [o.year, o.value, o.source]; });
    var targets = [], paths = [];
    ind.targets.forEach(function (t) {
      if (t.target_year !== null && t.target_value !== null) {
        targets.push({value: [t.target_year, t.target_value],
                      status: T["status_" + t.status] || t.status});
      }
      if (t.trajectory.length) { paths.push(t.trajectory); }
    });
    var years = [];
    observed.concat(targets.map(function (t) { return t.value; }))
      .forEach(function (p) { years.push(p[0]); });
    paths.forEach(function (p) { p.forEach(function (q) { years.push(q[0]); }); });
    var series = [{
      name: T.chart_observed, type: "line", data: observed, symbolSize: 7,
      lineStyle: {width: 2, color: "#14375e"}, itemStyle: {color: "#14375e"}
    }, {
      name: T.chart_target, type: "scatter", data: targets, symbol: "diamond", symbolSize: 13,
      itemStyle: {color: "#d9822b"}
    }];
    paths.forEach(function (p, i) {
      series.push({name: T.chart_trajectory, type: "line", data: p, showSymbol: false,
                   lineStyle: {type: "dashed", width: 1.5, color: "#d9822b"},
                   itemStyle: {color: "#d9822b"}, z: 1, id: "path" + i});
    });
    return {
      title: {text: name, subtext: ind.unit ? fill(T.chart_unit, {unit: ind.unit}) : "",
              left: 0, top: 0, textStyle: {fontSize: 14, fontWeight: 600}},
      legend: {bottom: 0, data: [T.chart_observed, T.chart_target, T.chart_trajectory]},
      grid: {left: 8, right: 16, top: 62, bottom: 36, containLabel: true},
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var v = p.value || p.data;
          var extra = p.seriesIndex === 0 && p.data[2] ? "<br>" + esc(T.source) + ": " + esc(p.data[2]) :
            (p.data && p.data.status ? "<br>" + esc(p.data.status) : "");
          return esc(p.seriesName) + "<br>" + esc(v[0]) + ": " + esc(number(v[1])) + extra;
        }
      },
      toolbox: toolbox(ind.indicator, null),
      xAxis: {type: "value", min: Math.min.apply(null, years) - 1,
              max: Math.max.apply(null, years) + 1, minInterval: 1,
              axisLabel: {formatter: function (v) { return String(v); }}},
      yAxis: {type: "value", scale: false,
              axisLabel: {formatter: function (v) { return number(v); }}},
      series: series
    };
  }

  function setupSeries(box) {
    fetch(box.dataset.series).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    }).then(function (data) {
      if (!data.indicators.length) {
        var p = document.createElement("p");
        p.textContent = T.chart_no_series;
        box.appendChild(p);
      }
      data.indicators.forEach(function (ind) {
        var el = document.createElement("div");
        el.className = "chart series";
        el.dataset.indicator = ind.indicator;
        box.appendChild(el);
        var chart = make(el);
        var option = seriesOption(ind);
        option.toolbox = toolbox(ind.indicator, function () { return chart; });
        el.dataset.state = "drawing";
        chart.setOption(option);
      });
      box.dataset.state = "ready";
    }).catch(function () { failed(box); });
  }

  function getJSON(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    });
  }

  /* --- an index run: each unit's rank with its 5-95 % interval over the replicates ------ */
  function setupBand(el) {
    var base = "/api/v1/indexes/" + encodeURIComponent(el.dataset.run);
    var element = "element=" + encodeURIComponent(el.dataset.index) + "&limit=1000";
    el.dataset.state = "loading";
    Promise.all([getJSON(base + "/scores?" + element), getJSON(base + "/uncertainty?" + element)])
      .then(function (both) {
        var names = {};
        both[0].items.forEach(function (s) { names[s.unit_code] = s.unit_name; });
        var rows = both[1].items.filter(function (u) { return u.nominal_rank !== null; })
          .sort(function (a, b) { return a.nominal_rank - b.nominal_rank; });
        var labels = rows.map(function (u) { return names[u.unit_code] || u.unit_code; });
        var chart = make(el);
        el.dataset.state = "drawing";
        chart.setOption({
          title: {text: T.chart_band_title, left: 0, top: 0, textStyle: {fontSize: 14, fontWeight: 600}},
          legend: {bottom: 0, data: [T.chart_rank_interval, T.chart_nominal_rank, T.chart_median_rank]},
          grid: {left: 8, right: 24, top: 40, bottom: 36, containLabel: true},
          toolbox: toolbox("rank-intervals-" + el.dataset.run, function () { return chart; }),
          tooltip: {
            trigger: "axis", axisPointer: {type: "shadow"},
            formatter: function (ps) {
              var u = rows[ps[0].dataIndex];
              return "<b>" + esc(labels[ps[0].dataIndex]) + "</b><br>" + esc(T.chart_nominal_rank) +
                ": " + esc(u.nominal_rank) + "<br>" + esc(T.chart_median_rank) + ": " +
                esc(u.median_rank) + "<br>" + esc(T.chart_rank_interval) + ": " + esc(u.q05_rank) +
                "–" + esc(u.q95_rank);
            }
          },
          xAxis: {type: "value", min: 1, max: Math.max(rows.length, 2), minInterval: 1,
                  name: T.col_rank, nameLocation: "middle", nameGap: 24},
          yAxis: {type: "category", data: labels, inverse: true,
                  axisLabel: {fontSize: 11, interval: 0}},
          series: [
            {type: "bar", stack: "band", silent: true, itemStyle: {color: "transparent"},
             data: rows.map(function (u) { return u.q05_rank; }), barWidth: "55%"},
            {name: T.chart_rank_interval, type: "bar", stack: "band", itemStyle: {color: "#9ec5ea"},
             data: rows.map(function (u) { return u.q95_rank - u.q05_rank; })},
            {name: T.chart_median_rank, type: "scatter", symbol: "emptyCircle", symbolSize: 7,
             itemStyle: {color: "#5b6775"},
             data: rows.map(function (u, i) { return [u.median_rank, i]; })},
            {name: T.chart_nominal_rank, type: "scatter", symbolSize: 9, itemStyle: {color: "#14375e"},
             data: rows.map(function (u, i) { return [u.nominal_rank, i]; })}
          ]
        });
      }).catch(function () { failed(el); });
  }

  /* --- a region's pillars against the benchmark unit ---------------------------------- */
  function setupPillars(el) {
    el.dataset.state = "loading";
    getJSON(el.dataset.compare).then(function (c) {
      var top = c.aggregates.length ? c.aggregates[0].level : 2;
      var shown = c.aggregates.filter(function (g) { return g.level >= top - 1; });
      var chart = make(el);
      el.dataset.state = "drawing";
      chart.setOption({
        title: {text: T.chart_pillars_title, left: 0, top: 0, textStyle: {fontSize: 14, fontWeight: 600}},
        legend: {bottom: 0, data: [c.unit_name, c.benchmark_name]},
        grid: {left: 8, right: 16, top: 56, bottom: 36, containLabel: true},
        toolbox: toolbox("pillars-" + c.unit + "-" + c.benchmark, function () { return chart; }),
        tooltip: {trigger: "axis", axisPointer: {type: "shadow"}},
        xAxis: {type: "category", data: shown.map(function (g) { return g.name; }),
                axisLabel: {interval: 0, fontSize: 11, overflow: "break",
                            width: Math.max(48, Math.min(160, el.clientWidth / shown.length - 16))}},
        yAxis: {type: "value", name: T.col_score},
        series: [
          {name: c.unit_name, type: "bar", itemStyle: {color: "#14375e"},
           data: shown.map(function (g) { return g.score; })},
          {name: c.benchmark_name, type: "bar", itemStyle: {color: "#d9822b"},
           data: shown.map(function (g) { return g.benchmark_score; })}
        ]
      });
    }).catch(function () { failed(el); });
  }

  var band = document.getElementById("rank-band");
  if (band) { setupBand(band); }
  var pillars = document.getElementById("pillars");
  if (pillars) { setupPillars(pillars); }
  var map = document.getElementById("map");
  if (map) { setupMap(map); }
  var series = document.getElementById("series");
  if (series) { setupSeries(series); }
  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
  window.addEventListener("beforeprint", function () {
    charts.forEach(function (c) { c.resize(); });
  });
})();
