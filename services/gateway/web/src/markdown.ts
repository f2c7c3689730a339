import DOMPurify from 'dompurify';
import { Marked } from 'marked';

/**
 * Markdown from the model or a note, made safe for the page. Two locks, because answers and
 * notes are untrusted: raw HTML in the source is escaped (it shows as the text it is, e.g.
 * `<img src=x onerror=…>`), and DOMPurify then sanitises what marked produced (no script,
 * event handler, `javascript:` link or inline style can reach the DOM).
 */
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    html: ({ text }) => escapeHtml(text),
    // An image becomes a link to it: the page's CSP would block most of them, and a broken one says nothing.
    image: ({ href, text }) => `<a href="${escapeHtml(href)}">${escapeHtml(text || href)}</a>`,
  },
});

const purify = DOMPurify(window);
purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName !== 'A') return;
  node.setAttribute('target', '_blank');
  node.setAttribute('rel', 'noopener noreferrer');
});

/** Markdown → a sanitised fragment ready to insert. */
export function markdownFragment(source: string): DocumentFragment {
  const html = marked.parse(source) as string;
  return purify.sanitize(html, { RETURN_DOM_FRAGMENT: true, FORBID_ATTR: ['style'], FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select'] });
}

/**
 * Renders `source` into `node` unless it already shows it (streaming redraws many times a
 * second). The source stays on the node (`data-markdown`): it is what "copy" copies.
 */
export function setMarkdown(node: HTMLElement, source: string): void {
  if (node.dataset.markdown === source) return;
  node.dataset.markdown = source;
  if (source) node.replaceChildren(markdownFragment(source));
  else node.replaceChildren();
}
