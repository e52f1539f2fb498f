/** IATI codelists the importer needs (IATI Standard 2.03; 1.0x letter codes mapped). */

export const TRANSACTION_TYPES: Record<string, string> = {
  '1': 'Incoming Funds',
  '2': 'Outgoing Commitment',
  '3': 'Disbursement',
  '4': 'Expenditure',
  '5': 'Interest Payment',
  '6': 'Loan Repayment',
  '7': 'Reimbursement',
  '8': 'Purchase of Equity',
  '9': 'Sale of Equity',
  '10': 'Credit Guarantee',
  '11': 'Incoming Commitment',
  '12': 'Outgoing Pledge',
  '13': 'Incoming Pledge',
};

/** IATI 1.0x transaction-type letter codes → 2.0x numeric codes. */
export const LEGACY_TRANSACTION_TYPES: Record<string, string> = {
  IF: '1',
  C: '2',
  D: '3',
  E: '4',
  IR: '5',
  LR: '6',
  R: '7',
  QP: '8',
  QS: '9',
  CG: '10',
};

/** Money coming in to the reporting organization: the transaction names the provider; the reporter receives. */
export const INCOMING_TRANSACTION_TYPES = new Set(['1', '5', '6', '11', '13']);

/** Transaction types that move or promise money from one organization to another (they become FUNDED flows). */
export const FUNDING_TRANSACTION_TYPES = new Set(['1', '2', '3', '11']);

export const ORGANISATION_ROLES: Record<string, string> = { '1': 'funding', '2': 'accountable', '3': 'extending', '4': 'implementing' };
export const LEGACY_ORGANISATION_ROLES: Record<string, string> = {
  funding: 'funding',
  accountable: 'accountable',
  extending: 'extending',
  implementing: 'implementing',
};

/** IATI organisation type → our organization kind. */
export function organizationKind(typeCode: string | undefined): string {
  const code = Number(typeCode);
  if ([10, 11, 15].includes(code)) return 'government';
  if ([21, 22, 23, 24, 90].includes(code)) return 'civil_society';
  if (code === 40) return 'multilateral';
  if (code === 60) return 'funder';
  if ([30, 70, 71, 72, 73].includes(code)) return 'business';
  if (code === 80) return 'academic';
  return 'civil_society';
}

export const ACTIVITY_STATUS: Record<string, string> = {
  '1': 'pipeline',
  '2': 'implementation',
  '3': 'finalisation',
  '4': 'closed',
  '5': 'cancelled',
  '6': 'suspended',
};

export const ACTIVITY_DATE_TYPES: Record<string, string> = {
  '1': 'plannedStart',
  '2': 'actualStart',
  '3': 'plannedEnd',
  '4': 'actualEnd',
  'start-planned': 'plannedStart',
  'start-actual': 'actualStart',
  'end-planned': 'plannedEnd',
  'end-actual': 'actualEnd',
};

export const RELATED_ACTIVITY_TYPES: Record<string, string> = {
  '1': 'parent',
  '2': 'child',
  '3': 'sibling',
  '4': 'co-funded',
  '5': 'third party',
};
