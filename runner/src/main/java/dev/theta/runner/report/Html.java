package dev.theta.runner.report;

import java.util.List;
import java.util.Locale;

/** Small helpers for the hand-written, dependency-free HTML of the reports. */
final class Html {
    private static final String STYLE = "<style>"
            + "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}"
            + "main{max-width:1360px;margin:0 auto;padding:24px 32px 48px}"
            + "h1{font-size:26px;margin:0 0 4px}h3{font-size:15px;margin:0 0 8px}h2{font-size:19px;margin:32px 0 12px;padding-bottom:4px;border-bottom:2px solid #d8dce3}"
            + "p.lead{color:#545c6b;margin:0 0 18px}"
            + ".tiles{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0}"
            + ".tile{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:10px 18px;min-width:120px}"
            + ".tile b{display:block;font-size:24px}.tile span{color:#545c6b;font-size:13px}"
            + ".row{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}"
            + ".charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:16px}"
            + ".charts svg.plot{width:100%}"
            + ".settings{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:16px;align-items:start}"
            + ".settings table{width:100%}"
            + ".card{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:12px;overflow-x:auto}"
            + "figure{margin:0}.row>figure{width:min-content;max-width:100%}.row>figure svg.chart{max-width:none}figcaption{color:#545c6b;font-size:13px;margin-top:6px;max-width:640px}"
            + "svg.chart{display:block;max-width:100%;height:auto}"
            + "table{border-collapse:collapse;font-size:13px;background:#fff}"
            + "td,th{border:1px solid #dde1e7;padding:3px 8px;text-align:right}"
            + "th{background:#eef1f6}td.l,th.l{text-align:left}"
            + "details summary{cursor:pointer;color:#2b5fb4;margin:8px 0}"
            + "</style>";

    private Html() {
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "";
    }

    /** A chart or table in a white card, with a caption that says how to read it. */
    static String figure(String content, String caption) {
        return "<figure class=\"card\">" + content + "<figcaption>" + escape(caption) + "</figcaption></figure>\n";
    }

    /** Cards side by side, wrapping on narrow screens. */
    static String row(List<String> cards) {
        return "<div class=\"row\">\n" + String.join("", cards) + "</div>\n";
    }

    /** Charts of one size in a grid, as many side by side as the screen has room for. */
    static String charts(List<String> cards) {
        return "<div class=\"charts\">\n" + String.join("", cards) + "</div>\n";
    }

    /** A big number with what it is, for the top of a report. */
    static String tile(String value, String label) {
        return "<div class=\"tile\"><b>" + escape(value) + "</b><span>" + escape(label) + "</span></div>";
    }

    /** A table with a header row (none if empty); cells are already HTML; the first {@code leftColumns} columns are left-aligned. */
    static String table(List<String> header, List<List<String>> rows, int leftColumns) {
        StringBuilder b = new StringBuilder("<table>");
        if (!header.isEmpty()) {
            b.append("<tr>");
            for (int i = 0; i < header.size(); i++) {
                b.append(i < leftColumns ? "<th class=\"l\">" : "<th>").append(escape(header.get(i))).append("</th>");
            }
            b.append("</tr>");
        }
        b.append('\n');
        for (List<String> row : rows) {
            b.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                b.append(i < leftColumns ? "<td class=\"l\">" : "<td>").append(row.get(i)).append("</td>");
            }
            b.append("</tr>\n");
        }
        return b.append("</table>\n").toString();
    }

    static String page(String title, String lead, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>"
                + STYLE + "</head>\n<body><main>\n<h1>" + escape(title) + "</h1>\n<p class=\"lead\">" + escape(lead) + "</p>\n"
                + body + "</main></body></html>\n";
    }
}
