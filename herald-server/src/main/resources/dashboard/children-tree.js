// The job page's children tree: every descendant the page's watch holds, as rows of one height in a scroll box
// with only the rows in sight in the DOM, like the job list, so a thousand live children cost a screenful of
// rows. The order (depth first, oldest child first, through the open branches) is worked out again only when a
// job comes or goes or a branch opens or closes; otherwise a frame updates the rows in sight whose job changed.
// The rows are a flat tree (WAI-ARIA's treeitems with aria-level, aria-posinset and aria-setsize).
import { $, el, setStatus, stageBar, setBar, percentOf, formatPercent } from './format.js';

const OVERSCAN = 8;

export class ChildrenTree {
  constructor(render, signal) {
    this.render = render;
    this.viewport = $('job-children-viewport');
    this.tree = $('job-children');
    this.viewport.addEventListener('scroll', render, { signal });
    this.reset(null);
  }

  reset(rootId) {
    this.rootId = rootId;
    this.expanded = new Set();
    this.rows = new Map(); // id -> its row, for the rows in sight only
    this.order = []; // { id, level, pos, size }, as shown
    this.size = -1; // the number of jobs the order was worked out from; -1: work it out again
    this.tree.replaceChildren();
    this.viewport.scrollTop = 0;
  }

  /** A job went (and another may have come in the same frame): the order is worked out again. */
  changed() {
    this.size = -1;
  }

  /** Works the order out if it may have changed; answers how many rows it has. */
  arrange(jobs) {
    if (jobs.size === this.size) return this.order.length;
    this.size = jobs.size;
    this.byParent = new Map();
    for (const job of jobs.values()) {
      if (job.parentId == null || job.id === this.rootId) continue;
      if (!this.byParent.has(job.parentId)) this.byParent.set(job.parentId, []);
      this.byParent.get(job.parentId).push(job);
    }
    for (const kids of this.byParent.values()) kids.sort(byCreation);
    this.order = [];
    const walk = (parentId, level) => (this.byParent.get(parentId) || []).forEach((job, i, kids) => {
      this.order.push({ id: job.id, level, pos: i + 1, size: kids.length });
      if (this.expanded.has(job.id)) walk(job.id, level + 1);
    });
    walk(this.rootId, 1);
    // one height for every row, from the stylesheet (it differs on narrow screens)
    this.rowHeight = parseFloat(getComputedStyle(this.tree).getPropertyValue('--tree-row')) || 32;
    this.tree.style.height = `${this.order.length * this.rowHeight}px`;
    return this.order.length;
  }

  paint(jobs) {
    this.arrange(jobs);
    const height = this.rowHeight;
    const top = this.viewport.scrollTop;
    const first = Math.max(0, Math.floor(top / height) - OVERSCAN);
    const last = Math.min(this.order.length, Math.ceil((top + this.viewport.clientHeight) / height) + OVERSCAN);
    const wanted = new Set(this.order.slice(first, last).map((entry) => entry.id));
    for (const [id, row] of this.rows) {
      if (!wanted.has(id)) {
        row.item.remove();
        this.rows.delete(id);
      }
    }
    for (let i = first; i < last; i++) {
      const entry = this.order[i];
      const row = this.rows.get(entry.id) || this.row(entry.id);
      if (row.index !== i || row.entry !== entry) this.place(row, entry, i);
      const job = jobs.get(entry.id);
      const open = this.expanded.has(entry.id);
      const hasKids = this.byParent.has(entry.id) || Boolean(job.children);
      if (row.job !== job || row.open !== open || row.hasKids !== hasKids) this.update(row, job, open, hasKids);
    }
  }

  row(id) {
    const row = {
      toggle: el('button', { type: 'button', class: 'toggle', onclick: () => {
        if (!this.expanded.delete(id)) this.expanded.add(id);
        this.changed();
        this.render();
      } }),
      link: el('a', { class: 'link', href: `#/jobs/${encodeURIComponent(id)}` }),
      badge: el('span', {}),
      bar: stageBar('child-bar'),
      percent: el('span', { class: 'percent' }),
      rollup: el('span', { class: 'muted rollup', 'data-testid': 'child-rollup' }),
    };
    row.item = el('li', { class: 'child-row', role: 'treeitem', 'data-testid': 'child-row', 'data-job-id': id },
      el('div', { class: 'child-line' }, row.toggle, row.link, row.badge, row.bar, row.percent, row.rollup));
    this.tree.append(row.item);
    this.rows.set(id, row);
    return row;
  }

  place(row, entry, index) {
    Object.assign(row, { entry, index });
    row.item.style.transform = `translateY(${index * this.rowHeight}px)`;
    row.item.style.setProperty('--level', String(entry.level - 1));
    row.item.setAttribute('aria-level', String(entry.level));
    row.item.setAttribute('aria-posinset', String(entry.pos));
    row.item.setAttribute('aria-setsize', String(entry.size));
  }

  update(row, child, open, hasKids) {
    Object.assign(row, { job: child, open, hasKids });
    const name = child.name || child.type;
    row.toggle.textContent = open ? '▾' : '▸';
    row.toggle.setAttribute('aria-label', `${open ? 'Collapse' : 'Expand'} ${name}`);
    row.toggle.style.visibility = hasKids ? '' : 'hidden'; // keeps its column: the rows stay aligned
    row.link.textContent = name;
    setStatus(row.badge, child.status);
    setBar(row.bar, child);
    row.percent.textContent = formatPercent(percentOf(child));
    row.rollup.textContent = child.children?.text || '';
    row.rollup.title = row.rollup.textContent; // in full, where the row cuts it
    row.item.dataset.status = child.status;
    if (hasKids) row.item.setAttribute('aria-expanded', String(open));
    else row.item.removeAttribute('aria-expanded');
  }
}

// Children made in the same millisecond keep one order on every render: their ids settle the tie.
function byCreation(a, b) {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : 1;
}
