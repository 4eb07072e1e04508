import type { Component } from 'svelte';
import type { NodeType } from '$core/graph/nodes/index';
import type { FormProps } from '../types';

/** The form of each node kind; a kind missing here is edited as JSON. */
export const FORMS: Partial<Record<NodeType, Component<FormProps>>> = {};
