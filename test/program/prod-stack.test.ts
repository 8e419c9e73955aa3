import { describeStack } from "./stack-expectations.js";

describeStack("prod");
