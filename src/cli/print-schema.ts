import 'reflect-metadata';
import { printGatewaySchema } from '../graphql/schema';

/** `npm run schema` writes this to schema.graphql, the committed contract. */
process.stdout.write(printGatewaySchema());
