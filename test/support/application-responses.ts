/** UBL ApplicationResponses as a buyer's AP forwards them: a Peppol MLR (BIS MLR 3.0) and an Invoice Response (BIS 63a). */
const HEAD = `<?xml version="1.0" encoding="UTF-8"?>
<ApplicationResponse xmlns="urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">`;

export function messageLevelResponse(o: { sbdhInstanceId: string; code: 'AB' | 'AP' | 'RE'; reasonCode?: string; description?: string }): string {
  const line = o.reasonCode
    ? `<cac:LineResponse><cac:LineReference><cbc:LineID>NA</cbc:LineID></cac:LineReference>
      <cac:Response><cbc:ResponseCode>RE</cbc:ResponseCode><cbc:Description>${o.description ?? ''}</cbc:Description>
        <cac:Status><cbc:StatusReasonCode listID="PEPPOLStatusReason">${o.reasonCode}</cbc:StatusReasonCode></cac:Status></cac:Response></cac:LineResponse>`
    : '';
  return `${HEAD}
  <cbc:CustomizationID>urn:fdc:peppol.eu:poacc:trns:mlr:3</cbc:CustomizationID>
  <cbc:ProfileID>urn:fdc:peppol.eu:poacc:bis:mlr:3</cbc:ProfileID>
  <cbc:ID>MLR-${o.sbdhInstanceId.slice(0, 8)}</cbc:ID>
  <cbc:IssueDate>2026-11-03</cbc:IssueDate>
  <cbc:IssueTime>10:15:00Z</cbc:IssueTime>
  <cac:SenderParty><cbc:EndpointID schemeID="0192">987654325</cbc:EndpointID></cac:SenderParty>
  <cac:ReceiverParty><cbc:EndpointID schemeID="0192">123456785</cbc:EndpointID></cac:ReceiverParty>
  <cac:DocumentResponse>
    <cac:Response><cbc:ResponseCode listID="UNCL4343OpSubset">${o.code}</cbc:ResponseCode></cac:Response>
    <cac:DocumentReference><cbc:ID>${o.sbdhInstanceId}</cbc:ID></cac:DocumentReference>
    ${line}
  </cac:DocumentResponse>
</ApplicationResponse>`;
}

export function invoiceResponse(o: { invoiceNumber: string; supplierOrg: string; code: string; reasonCode?: string; reason?: string; action?: string; date?: string }): string {
  const statuses = [
    o.reasonCode ? `<cac:Status><cbc:StatusReasonCode listID="OPStatusReason">${o.reasonCode}</cbc:StatusReasonCode>${o.reason ? `<cbc:StatusReason>${o.reason}</cbc:StatusReason>` : ''}</cac:Status>` : '',
    o.action ? `<cac:Status><cbc:StatusReasonCode listID="OPStatusAction">${o.action}</cbc:StatusReasonCode></cac:Status>` : '',
  ].join('');
  return `${HEAD}
  <cbc:CustomizationID>urn:fdc:peppol.eu:poacc:trns:invoice_response:3</cbc:CustomizationID>
  <cbc:ProfileID>urn:fdc:peppol.eu:poacc:bis:invoice_response:3</cbc:ProfileID>
  <cbc:ID>IR-${o.invoiceNumber}-${o.code}</cbc:ID>
  <cbc:IssueDate>${o.date ?? '2026-11-04'}</cbc:IssueDate>
  <cac:SenderParty><cbc:EndpointID schemeID="0192">987654325</cbc:EndpointID><cac:PartyLegalEntity><cbc:RegistrationName>Buyer AS</cbc:RegistrationName></cac:PartyLegalEntity></cac:SenderParty>
  <cac:ReceiverParty><cbc:EndpointID schemeID="0192">${o.supplierOrg}</cbc:EndpointID><cac:PartyLegalEntity><cbc:RegistrationName>Seller AS</cbc:RegistrationName></cac:PartyLegalEntity></cac:ReceiverParty>
  <cac:DocumentResponse>
    <cac:Response>
      <cbc:ResponseCode listID="UNCL4343OpSubset">${o.code}</cbc:ResponseCode>
      <cbc:EffectiveDate>${o.date ?? '2026-11-04'}</cbc:EffectiveDate>
      ${statuses}
    </cac:Response>
    <cac:DocumentReference><cbc:ID>${o.invoiceNumber}</cbc:ID><cbc:DocumentTypeCode>380</cbc:DocumentTypeCode></cac:DocumentReference>
  </cac:DocumentResponse>
</ApplicationResponse>`;
}
