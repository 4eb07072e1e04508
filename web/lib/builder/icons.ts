import {
	Bell,
	Clock,
	Flag,
	GitBranch,
	Hourglass,
	Mail,
	Megaphone,
	MessageCircle,
	MessageSquare,
	Split,
	Store,
	Ticket,
	UserPen,
	Webhook,
	Zap
} from '@lucide/svelte';
import type { Component } from 'svelte';
import type { NodeIcon } from '$core/graph/kinds';

/** The registry names its icons by Lucide name; this is the one place that turns them into components. */
export const ICONS: Record<NodeIcon, Component<{ class?: string; size?: number | string; 'aria-hidden'?: boolean | 'true' | 'false' }>> = {
	zap: Zap,
	clock: Clock,
	hourglass: Hourglass,
	'git-branch': GitBranch,
	split: Split,
	mail: Mail,
	'message-square': MessageSquare,
	'message-circle': MessageCircle,
	bell: Bell,
	megaphone: Megaphone,
	ticket: Ticket,
	store: Store,
	webhook: Webhook,
	'user-pen': UserPen,
	flag: Flag
};
