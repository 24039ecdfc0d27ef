import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

// marked does not sanitize: every piece of user Markdown goes through here before
// it reaches a page, so no <script>, event handler or javascript: URL survives.

const marked = new Marked({ gfm: true, breaks: false, async: false });

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [
    ...sanitizeHtml.defaults.allowedTags,
    "img", "del", "s", "input", "h1", "h2", "h3", "h4", "h5", "h6",
  ],
  allowedAttributes: {
    a: ["href", "title", "rel", "target"],
    img: ["src", "alt", "title", "width", "height"],
    input: ["type", "checked", "disabled"],
    code: ["class"],
    th: ["align"],
    td: ["align"],
    ol: ["start"],
  },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["http", "https"] },
  allowProtocolRelative: false,
  transformTags: {
    a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer nofollow" }),
    // Task-list boxes are display only; the real controls are the forms.
    input: (tagName, attribs) =>
      attribs.type === "checkbox"
        ? { tagName, attribs: { type: "checkbox", disabled: "", ...(attribs.checked !== undefined ? { checked: "" } : {}) } }
        : { tagName: "span", attribs: {} },
  },
};

export function sanitize(html: string): string {
  return sanitizeHtml(html, sanitizeOptions);
}

/** Markdown written by users, as HTML that is safe to put in a page. */
export function markdownToSafeHtml(markdown: string): string {
  return sanitize(marked.parse(markdown) as string);
}
