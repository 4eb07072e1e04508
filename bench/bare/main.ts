import { mount } from 'svelte';
import Bare from './Bare.svelte';

// The benchmark floor: the same nodes and edges as the builder's journey, on a bare canvas (default nodes).
const flow = await (await fetch('./flow.json')).json();
mount(Bare, { target: document.getElementById('app')!, props: flow });
