/**
 * Imported first by the gateway's entry point. On Node 20 (supported and tested here) the AWS SDK
 * prints a nine-line notice at start that SDK releases after early January 2027 will need Node 22.
 * The versions in our lock file run on Node 20, so the notice says nothing about this install;
 * the SDK's own switch turns it off (docs/operators.md, "Node versions"). An operator who wants
 * it sets AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=false.
 */
if (!process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED)
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
