/* The chain map: an ECharts graph of links; clicking a node loads the link panel via htmx. */
(function () {
  "use strict";
  var el = document.getElementById("chain-chart");
  var dataEl = document.getElementById("chain-graph-data");
  if (!el || !dataEl || !window.echarts) return;
  var data = JSON.parse(dataEl.textContent);
  var colours = { strong: "#2fb344", medium: "#4299e1", weak: "#f59f00", missing: "#adb5bd" };
  var t = window.wlT || function (text) { return text; };
  var labels = { strong: t("强"), medium: t("中"), weak: t("弱"), missing: t("缺失") };
  function textLines(lines) {
    var box = document.createElement("div");
    lines.forEach(function (line) {
      var row = document.createElement("div");
      row.textContent = line;
      box.appendChild(row);
    });
    return box;
  }
  var chart = echarts.init(el);
  var nodes = data.nodes.map(function (n) {
    if (n.caption) {
      return Object.assign({}, n, {
        symbolSize: 1, itemStyle: { color: "rgba(0,0,0,0)" }, silent: true, tooltip: { show: false },
        label: { show: true, position: "inside", fontSize: 14, fontWeight: "bold", color: "#1f3a5f" }
      });
    }
    return Object.assign({}, n, {
      itemStyle: {
        color: colours[n.strength],
        borderColor: n.strength === "missing" ? "#6c757d" : "#fff",
        borderType: n.strength === "missing" ? "dashed" : "solid",
        borderWidth: 2
      }
    });
  });
  chart.setOption({
    aria: { enabled: true },
    tooltip: {
      // Built as DOM text nodes, never as an HTML string: a link's name is typed by users.
      formatter: function (p) {
        if (p.dataType !== "node" || p.data.caption) return "";
        var d = p.data;
        return textLines([
          d.name,
          t("强弱：%(s)s", { s: labels[d.strength] }),
          t("主营企业：%(n)s 家", { n: d.main }),
          t("主营产值：%(v)s 万元（%(share)s）", {
            v: Math.round(d.value).toLocaleString(), share: (d.share * 100).toFixed(1) + "%"
          })
        ]);
      }
    },
    toolbox: { feature: { saveAsImage: { title: t("保存为图片"), pixelRatio: 2 } } },
    series: [{
      type: "graph",
      layout: "none",
      // On a phone the page scrolls the wide graph sideways; fingers pinch to zoom.
      roam: window.matchMedia("(max-width: 767.98px)").matches ? "scale" : true,
      data: nodes,
      links: data.edges,
      edgeSymbol: ["none", "arrow"],
      edgeSymbolSize: 8,
      lineStyle: { color: "#8ea0b5", width: 1.2, curveness: 0.12 },
      label: { show: true, position: "bottom", fontSize: 11, width: 130, overflow: "break" },
      emphasis: { focus: "adjacency" }
    }]
  });
  var panelUrl = el.dataset.panelUrl;
  chart.on("click", function (p) {
    if (p.dataType !== "node" || p.data.caption) return;
    htmx.ajax("GET", panelUrl.replace(/\/0\/$/, "/" + p.data.id + "/"), "#link-panel");
  });
  window.addEventListener("resize", function () { chart.resize(); });
  // On a phone the panel sits between the graph and the table: bring it into view when a link
  // is chosen in either, rather than filling it off screen.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id !== "link-panel") return;
    if (window.matchMedia("(max-width: 767.98px)").matches) {
      event.detail.target.scrollIntoView({ block: "start" });
    }
  });
  // ?link=ID (from an enterprise's profile): open that link's panel and mark it on the map.
  var wanted = new URLSearchParams(window.location.search).get("link");
  if (wanted && /^\d+$/.test(wanted)) {
    htmx.ajax("GET", panelUrl.replace(/\/0\/$/, "/" + wanted + "/"), "#link-panel");
    var index = nodes.findIndex(function (n) { return n.id === wanted; });
    if (index >= 0) chart.dispatchAction({ type: "highlight", seriesIndex: 0, dataIndex: index });
  }
  var save = document.getElementById("save-image");
  if (save) {
    save.addEventListener("click", function () {
      var a = document.createElement("a");
      a.href = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" });
      a.download = (document.title.split(" ")[0] || "chain") + ".png";
      a.click();
    });
  }
  window.wulianChainChart = chart;
})();
