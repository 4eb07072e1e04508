import { mount } from 'svelte';
import Bare from './Bare.svelte';

// The benchmark floor: the same nodes and edges as the builder's journey, on a bare canvas (default nodes), in a
// box the size of the builder's canvas (`?w=…&h=…`).
const flow = await (await fetch('./flow.json')).json();
const size = new URLSearchParams(location.search);
const px = (k: string) => (size.has(k) ? Number(size.get(k)) : undefined);
mount(Bare, { target: document.getElementById('app')!, props: { ...flow, width: px('w'), height: px('h') } });
