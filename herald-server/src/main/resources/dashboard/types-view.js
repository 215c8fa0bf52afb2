// The "Types" view (#/types?project=P): what the estimates have learnt of each job type of a project, from
// GET /stats/types (API §10): runs finished, success rate, duration p50/p90 and each stage's p50. Looked at
// again every REFRESH_TICKS seconds while shown, since finished runs change it a little at a time.
import { $, el, setText, roughDuration } from './format.js';

const REFRESH_TICKS = 10;

export class TypesView {
  constructor(api) {
    this.api = api;
    this.project = null;
    this.ticks = 0;
    this.generation = 0;
    this.aborter = new AbortController(); // its listeners go with it (a new token makes a new view)
    $('types-form').addEventListener('submit', (event) => {
      event.preventDefault();
      location.hash = `#/types?project=${encodeURIComponent($('types-project').value.trim())}`;
    }, { signal: this.aborter.signal });
  }

  show(project) {
    this.project = project;
    $('types-project').value = project;
    $('types-rows').replaceChildren();
    this.load();
  }

  hide() {
    this.project = null;
    this.generation++;
  }

  close() {
    this.hide();
    this.aborter.abort();
  }

  tick() {
    if (this.project != null && ++this.ticks % REFRESH_TICKS === 0 && !document.hidden) this.load();
  }

  async load() {
    const generation = ++this.generation;
    try {
      const body = await this.api(`/stats/types?project=${encodeURIComponent(this.project)}`);
      if (generation !== this.generation) return;
      $('types-error').hidden = true;
      this.paint(body.items);
    } catch (error) {
      if (generation === this.generation && error.status !== 401) setText($('types-error'), `Could not load the types: ${error.message}`);
    }
  }

  paint(items) {
    const time = (ms, known) => (known ? roughDuration(ms) : '–');
    $('types-empty').hidden = items.length > 0;
    $('types-rows').replaceChildren(...items.map((type) => {
      const cell = (field, text) => el('td', { 'data-field': field, text });
      const stages = type.stages.map((stage) => `${stage.name} ${roughDuration(stage.p50Ms)}`).join(' · ');
      return el('tr', { 'data-testid': 'type-row', 'data-type': type.type },
        el('th', { scope: 'row', text: type.type }),
        cell('finished', String(type.finished)),
        cell('success', `${Math.round(type.successRate * 100)}%`),
        cell('p50', time(type.p50Ms, type.sampleSize > 0)),
        cell('p90', time(type.p90Ms, type.sampleSize > 0)),
        cell('stages', stages || '–'));
    }));
  }
}
