// BrowserFrameBench's page: every watched job is a row (all in the DOM, none virtualized: the hard case), updated
// once per frame with the newest state herald.js delivered; window.delivered counts the states.
'use strict';
window.delivered = 0;
const dirty = new Map();
const rows = new Map();
let frame = 0;

function paint() {
  frame = 0;
  for (const [id, job] of dirty) {
    const row = rows.get(id);
    const percent = job.progress?.percent || 0;
    row.fill.style.transform = `scaleX(${percent / 100})`;
    row.bar.setAttribute('aria-valuenow', percent.toFixed(1));
    row.text.textContent = `${job.name} ${percent.toFixed(1)}% ${job.progress?.message || ''}`;
  }
  dirty.clear();
}

window.startBench = (token, ids) => {
  const herald = Herald.connect({ token, share: false });
  const list = document.getElementById('rows');
  for (const id of ids) {
    const fill = Object.assign(document.createElement('div'), { className: 'fill' });
    const bar = Object.assign(document.createElement('div'), { className: 'bar' });
    bar.setAttribute('role', 'progressbar');
    bar.append(fill);
    const text = document.createElement('span');
    const li = document.createElement('li');
    li.append(bar, text);
    list.append(li);
    rows.set(id, { fill, bar, text });
    herald.watch(id, (job) => {
      window.delivered++;
      dirty.set(id, job);
      if (!frame) frame = requestAnimationFrame(paint);
    });
  }
};
