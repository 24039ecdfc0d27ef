import { describe, expect, it } from "vitest";

import { markdownToSafeHtml } from "~/lib/markdown.server";

describe("user Markdown reaching a page", () => {
  it("renders ordinary Markdown", () => {
    const html = markdownToSafeHtml("**Pool** exhausted, see [runbook](https://wiki.example.com/pool).\n\n- [x] restarted");
    expect(html).toContain("<strong>Pool</strong>");
    expect(html).toContain('<a href="https://wiki.example.com/pool" rel="noopener noreferrer nofollow">runbook</a>');
    expect(html).toMatch(/<input[^>]*type="checkbox"[^>]*checked/);
  });

  it("drops scripts, event handlers and javascript: URLs", () => {
    const html = markdownToSafeHtml(
      [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(2)">',
        "[click](javascript:alert(3))",
        '<a href="JaVaScRiPt:alert(4)">x</a>',
        '<iframe src="https://evil.example"></iframe>',
        '<div onclick="alert(5)" style="position:fixed">y</div>',
        '<svg><script>alert(6)</script></svg>',
        '![pic](data:image/svg+xml;base64,PHN2Zz4=)',
      ].join("\n\n"),
    );
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/onerror|onclick/i);
    expect(html).not.toMatch(/javascript:/i);
    expect(html).not.toMatch(/<iframe|<svg|style=/i);
    expect(html).not.toContain("data:image");
  });

  it("keeps the text around what it removes", () => {
    const html = markdownToSafeHtml('Before <img src=x onerror="alert(1)"> after');
    expect(html).toContain("Before");
    expect(html).toContain("after");
  });

  it("does not let a form control other than a task box through", () => {
    const html = markdownToSafeHtml('<input type="text" name="x" value="y">');
    expect(html).not.toMatch(/<input/);
  });
});
