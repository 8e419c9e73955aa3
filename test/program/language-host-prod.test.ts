import { describeLanguageHostStart } from "./language-host-expectations.js";

describeLanguageHostStart("prod");
