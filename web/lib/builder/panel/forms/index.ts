import type { Component } from 'svelte';
import type { NodeType } from '$core/graph/nodes/index';
import type { FormProps } from '../types';
import AdAudienceForm from './AdAudienceForm.svelte';
import ConditionForm from './ConditionForm.svelte';
import ExitForm from './ExitForm.svelte';
import GrantOfferForm from './GrantOfferForm.svelte';
import RandomSplitForm from './RandomSplitForm.svelte';
import SendEmailForm from './SendEmailForm.svelte';
import SendPushForm from './SendPushForm.svelte';
import SendSmsForm from './SendSmsForm.svelte';
import SendWhatsAppForm from './SendWhatsAppForm.svelte';
import StoreTaskForm from './StoreTaskForm.svelte';
import TriggerForm from './TriggerForm.svelte';
import UpdateProfileForm from './UpdateProfileForm.svelte';
import WaitForEventForm from './WaitForEventForm.svelte';
import WaitForm from './WaitForm.svelte';
import WebhookForm from './WebhookForm.svelte';

/** The form of each node kind (a record, so a new kind without a form fails to compile); unknown kinds get JSON. */
export const FORMS: Record<NodeType, Component<FormProps>> = {
	trigger: TriggerForm,
	wait: WaitForm,
	waitForEvent: WaitForEventForm,
	condition: ConditionForm,
	randomSplit: RandomSplitForm,
	sendEmail: SendEmailForm,
	sendSms: SendSmsForm,
	sendWhatsApp: SendWhatsAppForm,
	sendPush: SendPushForm,
	adAudience: AdAudienceForm,
	grantOffer: GrantOfferForm,
	storeTask: StoreTaskForm,
	webhook: WebhookForm,
	updateProfile: UpdateProfileForm,
	exit: ExitForm
};
