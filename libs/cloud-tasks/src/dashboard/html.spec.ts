import { describe, expect, it } from '@jest/globals';
import { escapeHtml, html, SafeHtml } from './html.js';

describe('html', () => {
  it('escapes every interpolated value, in text and in quoted attributes', () => {
    const hostile = `"><script>alert('x')</script>&\``;
    expect(html`<td title="${hostile}">${hostile}</td>`.value).toBe(
      '<td title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&#96;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&#96;</td>',
    );
  });

  it('inserts nested html as is, joins arrays, and renders null, undefined and false as nothing', () => {
    const items = ['a<b', 'c'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${0}`.value).toBe('<ul><li>a&lt;b</li><li>c</li></ul>0');
  });

  it('does not trust strings that merely look like markup, only SafeHtml', () => {
    expect(html`${'<b>'}${new SafeHtml('<b>')}`.value).toBe('&lt;b&gt;<b>');
    expect(escapeHtml('plain')).toBe('plain');
  });
});
