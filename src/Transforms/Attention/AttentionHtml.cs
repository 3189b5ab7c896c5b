using System.Net;
using System.Text.Json;
using MLNet.Transformers.Models.Attention;

namespace MLNet.Transformers.Transforms;

/// <summary>
/// Attention maps as one self-contained HTML page: a token-by-token heatmap table (rows attend to columns), a layer
/// and a head selector, each cell's value in its tooltip. The maps are embedded as JSON and the table is built by an
/// inline script; nothing is fetched. The address fragment <c>#layer=L&amp;head=H</c> selects a map too.
/// </summary>
public static class AttentionHtml
{
    /// <summary>Writes the page for <paramref name="maps"/>, opening on <paramref name="view"/>'s layer and head.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The view's layer or head does not exist in the maps.</exception>
    public static void Write(AttentionMaps maps, TextWriter writer, AttentionView? view = null)
    {
        ArgumentNullException.ThrowIfNull(maps);
        ArgumentNullException.ThrowIfNull(writer);
        view ??= new AttentionView();
        view.Validate(maps);
        var data = JsonSerializer.Serialize(new
        {
            tokens = maps.Tokens,
            queries = maps.Queries,
            layers = maps.Layers,
            heads = maps.Heads,
            layer = view.Layer,
            head = view.Head,
            weights = maps.Weights.ToArray(), // (L, H, Q, K) row-major
        }); // the default encoder escapes <, > and &, so no text can close the script element
        var title = WebUtility.HtmlEncode(view.Title);
        writer.Write($$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>{{title}}</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }
            table { border-collapse: collapse; font-size: 12px; }
            th { font-weight: normal; padding: 2px 6px; white-space: nowrap; }
            thead th { writing-mode: vertical-rl; transform: rotate(180deg); text-align: left; }
            tbody th { text-align: right; }
            td { min-width: 2.6em; height: 1.8em; text-align: center; border: 1px solid #fff; }
            #controls label { margin-right: 1em; }
            </style>
            </head>
            <body>
            <h1>{{title}}</h1>
            <p id="controls"><label>Layer <select id="layer"></select></label><label>Head <select id="head"></select></label></p>
            <p>Row: the token that attends; column: the token attended to; hover a cell for its weight.</p>
            <table id="heatmap"></table>
            <script type="application/json" id="attention-data">{{data}}</script>
            <script>
            (() => {
            {{AttentionColors.Script}}
            const data = JSON.parse(document.getElementById('attention-data').textContent);
            const layer = document.getElementById('layer'), head = document.getElementById('head');
            const options = (select, count, chosen) => {
              for (let i = 0; i < count; i++) select.add(new Option(String(i), String(i)));
              select.value = String(chosen);
            };
            options(layer, data.layers, data.layer);
            options(head, data.heads, data.head);
            document.getElementById('controls').hidden = data.layers === 1 && data.heads === 1; // one map: nothing to choose
            const cell = (tag, text) => { const e = document.createElement(tag); e.textContent = text; return e; };
            const render = () => {
              const l = Number(layer.value), h = Number(head.value);
              const q = data.queries.length, k = data.tokens.length, base = (l * data.heads + h) * q * k;
              const table = document.getElementById('heatmap');
              table.replaceChildren();
              table.dataset.layer = l;
              table.dataset.head = h;
              const top = table.createTHead().insertRow();
              top.appendChild(cell('th', ''));
              for (const token of data.tokens) top.appendChild(cell('th', token));
              const body = table.createTBody();
              for (let i = 0; i < q; i++) {
                const row = body.insertRow();
                row.appendChild(cell('th', data.queries[i]));
                for (let j = 0; j < k; j++) {
                  const w = data.weights[base + i * k + j];
                  const td = cell('td', w.toFixed(2));
                  td.dataset.weight = String(w);
                  td.title = `${data.queries[i]} \u2192 ${data.tokens[j]}: ${w}`;
                  td.style.background = fill(w);
                  td.style.color = ink(w);
                  row.appendChild(td);
                }
              }
            };
            const fromAddress = () => {
              const asked = new URLSearchParams(location.hash.slice(1));
              for (const [name, select] of [['layer', layer], ['head', head]]) {
                const value = asked.get(name);
                if (value !== null && Number(value) >= 0 && Number(value) < select.options.length) select.value = value;
              }
              render();
            };
            layer.addEventListener('change', render);
            head.addEventListener('change', render);
            window.addEventListener('hashchange', fromAddress);
            fromAddress();
            })();
            </script>
            </body>
            </html>

            """);
    }
}
