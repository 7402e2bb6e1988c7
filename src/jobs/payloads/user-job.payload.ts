import { IsNotEmpty, IsString } from 'class-validator';

/** Base of every payload about one user. */
export class UserJobPayload {
  /** The CatchUp user id. */
  @IsString()
  @IsNotEmpty()
  userId!: string;
}
