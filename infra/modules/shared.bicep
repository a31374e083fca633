// Names and shapes that main.bicep and the modules must agree on.

@export()
@description('The Key Vault secrets behind the app\'s secret settings, by what they hold.')
var secretNames = {
  adminApiKey: 'admin-api-key'
  linkSigningKey: 'link-signing-key'
  previousLinkSigningKey: 'link-signing-key-previous'
  couponCodeSecret: 'coupon-code-secret'
  sendGridApiKey: 'sendgrid-api-key'
}

@export()
@description('The secret holding a store\'s Shopify app secret or WooCommerce webhook secret; the operator sets it.')
func storeWebhookSecretName(storeId string) string => 'store-${storeId}-webhook-secret'

@export()
@description('A connected store, emitted as Automation__Stores__{id}__* settings.')
type store = {
  @description('Store id as it appears in webhook URLs (/api/webhooks/shopify/{id}): lower-case letters and digits.')
  @minLength(1)
  @maxLength(50)
  id: string

  @description('The store\'s name as recipients know it.')
  name: string

  platform: 'shopify' | 'woocommerce' | 'custom'

  @description('IANA time zone for customers whose own is unknown, e.g. Europe/Madrid.')
  timeZone: string

  @description('Default locale for its customers, e.g. es.')
  locale: string

  @description('ISO 4217 currency, e.g. EUR.')
  @minLength(3)
  @maxLength(3)
  currency: string

  @description('ISO 3166 country, e.g. ES.')
  country: string

  @description('Sender address: a verified sender or on an authenticated domain in SendGrid.')
  fromEmail: string

  @description('Postal address in every email\'s footer (CAN-SPAM); marketing email is refused without it.')
  physicalAddress: string

  @description('Shopify only: the *.myshopify.com domain deliveries must come from.')
  shopDomain: string?

  @description('SendGrid unsubscribe group (asm.group_id) of the store\'s marketing email.')
  unsubscribeGroupId: int?
}
