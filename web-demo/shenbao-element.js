/*! <shenbao-form jurisdiction="potou" form="apply" lang="zh"><form>…</form></shenbao-form> — Apache-2.0 */
import { attach } from './shenbao.js';

export class ShenbaoFormElement extends HTMLElement {
  static get observedAttributes() { return ['jurisdiction', 'form', 'lang', 'endpoint', 'data-names']; }

  connectedCallback() {
    if (!this.connect()) {
      // children not parsed yet: wait for the <form>
      this.mo = new MutationObserver(() => this.connect());
      this.mo.observe(this, { childList: true, subtree: true });
    }
  }

  connect() {
    const form = this.querySelector('form');
    if (!form || this.controller) return !!form;
    this.mo?.disconnect();
    this.controller = attach(form, {
      ...this.opts(),
      onReport: (report, ctx) => this.dispatchEvent(new CustomEvent('shenbao-report', { detail: { report, ...ctx } })),
    });
    return true;
  }

  opts() {
    const a = (n) => this.getAttribute(n) || undefined;
    return {
      jurisdiction: a('jurisdiction'),
      form: a('form') || 'apply',
      lang: a('lang') || 'zh',
      endpoint: a('endpoint'),
      names: a('data-names') && JSON.parse(a('data-names')),
    };
  }

  attributeChangedCallback() { this.controller?.set(this.opts()); }

  disconnectedCallback() {
    this.mo?.disconnect();
    this.controller?.destroy();
    this.controller = null;
  }
}

if (!customElements.get('shenbao-form')) customElements.define('shenbao-form', ShenbaoFormElement);
