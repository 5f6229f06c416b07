package dev.theta.runner.report;

import java.util.Locale;

/** Small helpers for the hand-written, dependency-free HTML of the reports. */
final class Html {
    static final String STYLE = "<style>body{font-family:sans-serif;margin:2em;max-width:1400px}"
            + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
            + "th{background:#eef}td.l,th.l{text-align:left}img{margin:4px;border:1px solid #ddd}</style>";

    private Html() {
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "";
    }

    static String image(String file, String alt) {
        return "<img src=\"" + escape(file) + "\" alt=\"" + escape(alt) + "\" width=\"" + Charts.WIDTH + "\" height=\"" + Charts.HEIGHT + "\">";
    }

    static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>"
                + STYLE + "</head>\n<body>\n<h1>" + escape(title) + "</h1>\n" + body + "</body></html>\n";
    }
}
